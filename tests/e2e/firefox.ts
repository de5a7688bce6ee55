import { test as base, expect } from '@playwright/test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { totp } from '../../infra/local/totp';
import { totpSecretOf } from './helpers';
import { FRAMES_DECODED, RECORD_PEER_CONNECTIONS } from './webrtc-probe';

/**
 * Firefox in the end-to-end suite: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi
 * (Playwright's own Firefox build is a patched one that cannot be downloaded here). A spec drives a
 * Firefox page inside an ordinary Playwright test, so Chromium and Firefox meet in one call.
 *
 * Loopback ICE (docs/testing.md): Firefox gathers only its "default address" (the one that routes to
 * the internet) until the page is capturing camera or microphone. In the tests' loopback-only network
 * there is no route, so that lookup fails and no candidate at all is gathered. Fake devices do not count
 * as capturing unless `media.navigator.permission.fake` says so; then every interface is gathered,
 * and `media.peerconnection.ice.loopback` keeps `lo` among them.
 */
export const FIREFOX_PREFS = {
  // Fake camera and microphone, no permission prompt.
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // Fake devices count as capturing, so ICE gathers every address instead of the default one only.
  'media.navigator.permission.fake': true,
  // Loopback host candidates are gathered (Firefox skips `lo` by default).
  'media.peerconnection.ice.loopback': true,
} as const;

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS,
  });
}

export type FirefoxPage = Page;

interface FirefoxFixtures {
  /** A new Firefox page in its own browser context, recording its peer connections for getStats. */
  firefoxPage: () => Promise<FirefoxPage>;
}

/** Playwright's `test` with a headless Firefox launched once per worker and closed after it. */
export const test = base.extend<FirefoxFixtures, { firefox: Browser }>({
  firefox: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
    async ({}, use) => {
      const browser = await launchFirefox();
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  firefoxPage: async ({ firefox }, use) => {
    const contexts: Awaited<ReturnType<Browser['createBrowserContext']>>[] = [];
    await use(async () => {
      const context = await firefox.createBrowserContext();
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      // Playwright's default viewport, so both browsers lay the call out the same way (chat beside the video).
      await page.setViewport({ width: 1280, height: 720 });
      await page.evaluateOnNewDocument(RECORD_PEER_CONNECTIONS);
      return page;
    });
    for (const context of contexts) await context.close();
  },
});

export { expect };

const baseURL = () => test.info().project.use.baseURL!;

export async function goto(page: FirefoxPage, path: string) {
  await page.goto(new URL(path, baseURL()).href);
}

/** A CSS-free selector for text on the page (Puppeteer's text query). */
const text = (t: string) => `::-p-text(${JSON.stringify(t)})`;
/** An element by accessible role and name (Puppeteer's ARIA query). */
export const role = (r: string, name: string) =>
  `::-p-aria([name=${JSON.stringify(name)}][role=${JSON.stringify(r)}])`;
/** The form control a `<label>` with exactly this text is for, once it shows. */
export async function field(page: FirefoxPage, name: string) {
  const id = await page.waitForFunction(
    (n: string) => {
      const found = [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === n);
      return found?.htmlFor ? `#${CSS.escape(found.htmlFor)}` : false;
    },
    { timeout: 15_000 },
    name,
  );
  return page.locator((await id.jsonValue()) as string);
}

/** Waits until `t` shows on the page. */
export async function seeText(page: FirefoxPage, t: string, timeout = 15_000) {
  await page.waitForSelector(text(t), { visible: true, timeout });
}

export async function expectPath(page: FirefoxPage, path: RegExp, timeout = 15_000) {
  await expect.poll(() => new URL(page.url()).pathname, { timeout }).toMatch(path);
}

/** Signs in, entering the current two-step code for an enrolled user (as helpers.signIn does). */
export async function signIn(page: FirefoxPage, email: string, password: string) {
  await goto(page, '/login');
  await (await field(page, 'Email')).fill(email);
  await (await field(page, 'Password')).fill(password);
  await page.locator(role('button', 'Sign in')).click();
  const secret = totpSecretOf(email);
  if (secret) {
    await seeText(page, 'Enter your sign-in code');
    await (await field(page, '6-digit code')).fill(totp(secret));
    await page.locator(role('button', 'Verify and sign in')).click();
  }
}

export function framesDecoded(page: FirefoxPage): Promise<number> {
  return page.evaluate(FRAMES_DECODED) as Promise<number>;
}

/** Remote video decodes in the Firefox page and the remote video element has a size. */
export async function expectVideoFlowing(page: FirefoxPage, timeout = 20_000) {
  await expect.poll(() => framesDecoded(page), { timeout, intervals: [100, 250, 500] }).toBeGreaterThan(0);
  await expect
    .poll(() => page.$eval('video.remote', (v) => (v as HTMLVideoElement).videoWidth), { timeout })
    .toBeGreaterThan(0);
}
