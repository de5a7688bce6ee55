/**
 * Lighthouse (mobile form factor, default simulated throttling) on the sign-in page and on the
 * patient's and the doctor's dashboards, each with a few appointments to show, against a private
 * local platform in Chromium. The dashboards are measured signed in: the user signs in through the
 * page first, then Lighthouse loads the dashboard in the same browser with a cold HTTP cache but the
 * session kept. Figures are reported and written to BENCHMARKS.md, never asserted.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request as playwrightRequest } from '@playwright/test';
import lighthouse, { type Flags, type RunnerResult } from 'lighthouse';
import { format, resolveConfig } from 'prettier';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { totp } from '../../infra/local/totp';
import { apiFor } from '../e2e/api';
import { rememberTotpSecret, totpSecretOf } from '../e2e/helpers';
import { launchPlatform } from '../integration/launch';

const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const root = resolve(import.meta.dirname, '../..');
const TARGET = { performance: 95, accessibility: 100, cls: 0.05 };
/** The last run's full reports, to read what moved or what was slow. */
const reports = join(root, '.tmp/lighthouse');

interface Figures {
  performance: number;
  accessibility: number;
  cls: number;
  lcp: number;
  tbt: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

const flags: Flags = {
  logLevel: 'error',
  output: 'json',
  onlyCategories: ['performance', 'accessibility'],
  // The session lives in localStorage; the HTTP cache is emptied before each run instead.
  disableStorageReset: true,
};

function figures(result: RunnerResult | undefined): Figures {
  const lhr = result?.lhr;
  if (!lhr) throw new Error('Lighthouse returned no result');
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
  const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  return {
    performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
    cls: audit('cumulative-layout-shift'),
    lcp: audit('largest-contentful-paint'),
    tbt: audit('total-blocking-time'),
  };
}

/** Lighthouse on `path` RUNS times in `page`, cold HTTP cache each time; the median of each figure. */
async function measure(page: Page, url: string, label: string): Promise<Figures> {
  const runs: Figures[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cdp = await page.createCDPSession();
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    // Lighthouse's bundled puppeteer types differ from ours; the page is the same object at runtime.
    const result = await lighthouse(url, flags, undefined, page as never);
    mkdirSync(reports, { recursive: true });
    writeFileSync(join(reports, `${label}.json`), JSON.stringify(result?.lhr, null, 1));
    const run = figures(result);
    console.log(
      `${label} ${i + 1}/${RUNS}: performance ${run.performance}, accessibility ${run.accessibility}, CLS ${run.cls.toFixed(3)}, LCP ${Math.round(run.lcp)} ms, TBT ${Math.round(run.tbt)} ms`,
    );
    runs.push(run);
  }
  return {
    performance: median(runs.map((r) => r.performance)),
    accessibility: median(runs.map((r) => r.accessibility)),
    cls: median(runs.map((r) => r.cls)),
    lcp: median(runs.map((r) => r.lcp)),
    tbt: median(runs.map((r) => r.tbt)),
  };
}

/** Signs in through the sign-in page (with the authenticator code for staff) and waits for home. */
async function signIn(page: Page, baseUrl: string, email: string, password: string, home: string) {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#field-email').fill(email);
  await page.locator('#field-password').fill(password);
  await page.locator('button[type=submit]').click();
  const secret = totpSecretOf(email);
  if (secret) {
    await page.locator('#field-code').fill(totp(secret));
    await page.locator('button[type=submit]').click();
  }
  await page.waitForFunction((path) => location.pathname === path, {}, home);
}

const dataDir = mkdtempSync(join(tmpdir(), 'telehealth-bench-lh-'));
const platform = await launchPlatform(dataDir, undefined, { POWERTOOLS_LOG_LEVEL: 'WARN' });
const { demoTotpSecrets } = JSON.parse(readFileSync(join(dataDir, 'platform.json'), 'utf8')) as {
  demoTotpSecrets: Record<'admin' | 'doctor', string>;
};
rememberTotpSecret(DEMO_USERS.admin.email, demoTotpSecrets.admin);
rememberTotpSecret(DEMO_USERS.doctor.email, demoTotpSecrets.doctor);

const request = await playwrightRequest.newContext({ baseURL: platform.url });
let browser: Browser | undefined;
const results: [string, Figures][] = [];
try {
  // A doctor with open hours and a patient with three upcoming visits and one cancelled.
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Bench Lighthouse');
  const patient = await api.newPatient('Bench Lighthouse Patient');
  const client = api.as(patient.token);
  const { items: slots } = await client.call(
    'listOpenSlots',
    { doctorId: doctor.userId },
    {
      query: {
        from: new Date(Date.now() + 3_600_000).toISOString(),
        to: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      },
    },
  );
  const book = async (slot: (typeof slots)[number] | undefined) => {
    if (!slot) throw new Error('not enough open slots');
    const { appointment } = await client.call('bookAppointment', {
      doctorId: doctor.userId,
      start: slot.start,
      reason: 'Follow-up on blood pressure',
    });
    return appointment;
  };
  // At most three upcoming at a time: the last of four is booked after one is cancelled.
  await book(slots[0]);
  await book(slots[12]);
  const cancelled = await book(slots[30]);
  await client.call(
    'cancelAppointment',
    { appointmentId: cancelled.appointmentId },
    { reason: 'Feeling better' },
  );
  await book(slots[60]);

  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // Like Playwright's default: no Chromium sandbox (it refuses to start as root with one).
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const signInPage = await (await browser.createBrowserContext()).newPage();
  results.push(['Sign-in page', await measure(signInPage, `${platform.url}/login`, 'sign-in')]);

  const patientPage = await (await browser.createBrowserContext()).newPage();
  await signIn(patientPage, platform.url, patient.email, patient.password, '/patient');
  results.push(['Patient dashboard', await measure(patientPage, `${platform.url}/patient`, 'patient')]);

  const doctorPage = await (await browser.createBrowserContext()).newPage();
  await signIn(doctorPage, platform.url, doctor.email, doctor.password, '/doctor');
  results.push(['Doctor dashboard', await measure(doctorPage, `${platform.url}/doctor`, 'doctor')]);
} finally {
  await browser?.close();
  await request.dispose();
  await platform.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const verdict = (met: boolean, figure: string, target: string) =>
  `${met ? 'met' : 'missed'}: ${figure} (target ${target})`;
const row = (label: string, f: Figures) =>
  [
    `| ${label}`,
    verdict(f.performance >= TARGET.performance, String(f.performance), `≥ ${TARGET.performance}`),
    verdict(f.accessibility >= TARGET.accessibility, String(f.accessibility), `${TARGET.accessibility}`),
    label === 'Sign-in page'
      ? `${f.cls.toFixed(3)}`
      : verdict(f.cls <= TARGET.cls, f.cls.toFixed(3), `≤ ${TARGET.cls}`),
    `${Math.round(f.lcp)}`,
    `${Math.round(f.tbt)} |`,
  ].join(' | ');

const section = [
  '<!-- bench:lighthouse -->',
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` with Lighthouse 12 (mobile form factor,`,
  `default simulated throttling: slow 4G, 4× CPU slowdown) in headless Chromium against the local platform`,
  `(2 cores, Node ${process.version}); median of ${RUNS} cold-cache runs per page. The dashboards are signed in and`,
  'show three upcoming appointments and one cancelled.',
  '',
  '| page | performance | accessibility | CLS | LCP (ms) | TBT (ms) |',
  '|---|---|---|---|---|---|',
  ...results.map(([label, f]) => row(label, f)),
  '<!-- /bench:lighthouse -->',
].join('\n');

const file = join(root, 'BENCHMARKS.md');
const current = readFileSync(file, 'utf8');
const updated = current.replace(/<!-- bench:lighthouse -->[\s\S]*<!-- \/bench:lighthouse -->/, section);
const next =
  updated === current && !current.includes('bench:lighthouse') ? `${current}\n${section}\n` : updated;
// Written as `npm run lint` wants it (the table aligned), so a bench run leaves the tree clean.
writeFileSync(file, await format(next, { ...(await resolveConfig(file)), filepath: file }));
console.log(`\n${section}`);
