import { defineConfig } from '@playwright/test';
import e2e from '../e2e/playwright.config';

/**
 * `npm run docs:screenshots`: the manuals' pictures, taken from a fresh local platform started exactly as
 * the end-to-end tests start it (same server, ports from E2E_PORT, Chromium with a fake camera).
 * Not part of `npm test`: it writes files into docs/manual/images/.
 */
export default defineConfig({
  ...e2e,
  testDir: '.',
  testMatch: 'screenshots.ts',
  timeout: 180_000,
});
