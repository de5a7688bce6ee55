import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../infra/local/ports';
import { launchPlatform } from './launch';

declare module 'vitest' {
  export interface ProvidedContext {
    platform: {
      url: string;
      cognitoEndpoint: string;
      dynamodbEndpoint: string;
      dataDir: string;
      logFile: string;
      /** Reads (GET) and moves forward (POST {to}) the platform's injected clock. */
      clockUrl: string;
    };
  }
}

/** One local platform for the integration suite, on free ports, with its own throw-away data. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'telehealth-it-'));
  // Reminders 30 minutes ahead and a fast scheduler loop let tests see reminders fire without waiting.
  // Every test registers its patients from 127.0.0.1, hundreds within minutes: the per-address
  // sign-up limit is raised here, and rate-limits.test.ts checks it on a platform of its own.
  const clockPort = await freePort();
  const platform = await launchPlatform(
    dataDir,
    undefined,
    {
      REMINDER_MINUTES_BEFORE: '30',
      REMINDER_POLL_MS: '300',
      CLOCK_PORT: String(clockPort),
      SIGNUPS_PER_HOUR_PER_IP: '100000',
      // Races send 20 bookings of one patient at once; the booking limit has its own platform.
      BOOKINGS_PER_MINUTE: '1000',
    },
    'tests/integration/clocked-platform.ts',
  );
  project.provide('platform', {
    url: platform.url,
    cognitoEndpoint: platform.cognitoEndpoint,
    dynamodbEndpoint: platform.dynamodbEndpoint,
    dataDir,
    logFile: platform.logFile,
    clockUrl: `http://127.0.0.1:${clockPort}/clock`,
  });
  return async () => {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
