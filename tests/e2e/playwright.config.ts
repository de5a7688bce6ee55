import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';

const root = resolve(import.meta.dirname, '../..');
const port = Number(process.env.E2E_PORT ?? 4310);
const baseURL = `http://127.0.0.1:${port}`;
/** The platform's data directory; helpers read the demo staff's TOTP secrets from its platform.json. */
export const dataDir = resolve(root, '.tmp/e2e-data');

export const chromiumArgs = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
];

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  forbidOnly: true,
  reporter: [['list']],
  outputDir: resolve(root, 'test-results'),
  use: {
    baseURL,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
  },
  webServer: {
    // A fresh local platform with its own data and ports, so tests never touch a developer's .data/.
    command: `rm -rf "${dataDir}" && npx tsx infra/local/main.ts`,
    cwd: root,
    url: `${baseURL}/config.json`,
    timeout: 90_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      DYNAMODB_PORT: String(port + 1),
      COGNITO_PORT: String(port + 2),
      DATA_DIR: dataDir,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      // Every spec signs patients up from 127.0.0.1: the per-address limit (20 an hour; its own
      // integration test) would refuse the suite's later sign-ups.
      SIGNUPS_PER_HOUR_PER_IP: '1000',
    },
  },
});
