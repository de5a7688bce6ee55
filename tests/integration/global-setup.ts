import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { launchPlatform } from './launch';

declare module 'vitest' {
  export interface ProvidedContext {
    platform: {
      url: string;
      cognitoEndpoint: string;
      dynamodbEndpoint: string;
      dataDir: string;
      logFile: string;
    };
  }
}

/** One local platform for the integration suite, on free ports, with its own throw-away data. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'telehealth-it-'));
  const platform = await launchPlatform(dataDir);
  project.provide('platform', {
    url: platform.url,
    cognitoEndpoint: platform.cognitoEndpoint,
    dynamodbEndpoint: platform.dynamodbEndpoint,
    dataDir,
    logFile: platform.logFile,
  });
  return async () => {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
