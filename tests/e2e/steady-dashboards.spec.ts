import { expect, test, type Browser, type Page } from '@playwright/test';
import { apiFor } from './api';
import { signIn } from './helpers';

/**
 * Phones' viewports (an iPhone's, and the 412 px Lighthouse's mobile run uses): what shifts there
 * while the session and data arrive is what a patient sees jump.
 */
const PHONES = [
  { width: 390, height: 844 },
  { width: 412, height: 823 },
];
const MAX_CLS = 0.05;

interface Shift {
  value: number;
  moved: string[];
}

/**
 * Records every layout shift not caused by input from the first paint of each document on, with
 * what moved (tag, id and class of each source), in `window.__shifts`.
 */
async function recordShifts(page: Page) {
  await page.addInitScript(() => {
    const shifts: { value: number; moved: string[] }[] = [];
    (window as unknown as { __shifts: typeof shifts }).__shifts = shifts;
    const describe = (node: Node | null) =>
      node instanceof Element
        ? `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}${node.className ? `.${String(node.className).replace(/\s+/g, '.')}` : ''}`
        : String(node?.nodeName);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as {
        value: number;
        hadRecentInput: boolean;
        sources: { node: Node | null }[];
      }[]) {
        if (!entry.hadRecentInput)
          shifts.push({ value: entry.value, moved: entry.sources.map((s) => describe(s.node)) });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/**
 * Holds the profile (`GET /me`) until `releaseSession` and every other API request until
 * `releaseData` is called, so the session check and then the loading state are certainly painted
 * before what they wait for arrives, however fast loopback is.
 */
async function holdApi(page: Page) {
  let releaseSession!: () => void;
  let releaseData!: () => void;
  const session = new Promise<void>((resolve) => (releaseSession = resolve));
  const data = new Promise<void>((resolve) => (releaseData = resolve));
  await page.route(
    (url) => url.pathname.startsWith('/api/'),
    async (route) => {
      await (new URL(route.request().url()).pathname === '/api/me' ? session : data);
      await route.continue();
    },
  );
  return { releaseSession, releaseData };
}

/** Two animation frames: every shift of the frames painted so far has been reported. */
const settled = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

async function measureDashboard(page: Page, path: string, loaded: (page: Page) => Promise<void>) {
  await recordShifts(page);
  // The Cognito library (web/src/cognito.ts) is for signing in and refreshing: not with a valid token.
  const cognitoLoads: string[] = [];
  page.on('request', (r) => {
    if (/\/assets\/cognito-[^/]*\.js$/.test(new URL(r.url()).pathname)) cognitoLoads.push(r.url());
  });
  const { releaseSession, releaseData } = await holdApi(page);
  await page.goto(path);
  // From the first paint: the top bar, while the session is checked, must already keep the room
  // its sections and account area take.
  await expect(page.getByRole('status').filter({ hasText: 'Checking your session' })).toBeVisible();
  await settled(page);
  releaseSession();
  await expect(page.getByRole('status').filter({ hasText: 'Loading your' }).first()).toBeVisible();
  await settled(page);
  releaseData();
  await loaded(page);
  await settled(page);
  const shifts = await page.evaluate(() => (window as unknown as { __shifts: Shift[] }).__shifts);
  const total = shifts.reduce((sum, s) => sum + s.value, 0);
  expect(cognitoLoads, 'the Cognito library loaded by a dashboard with a valid token').toEqual([]);
  const size = page.viewportSize()!;
  expect(
    total,
    `layout shifts at ${size.width}×${size.height} on ${path}: ${JSON.stringify(shifts)}`,
  ).toBeLessThanOrEqual(MAX_CLS);
}

async function phonePage(
  browser: Browser,
  viewport: (typeof PHONES)[number],
  user: { email: string; password: string },
  home: string,
) {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(new RegExp(`${home}$`));
  return page;
}

test('the patient and doctor dashboards do not jump on a phone while the session and their data arrive', async ({
  browser,
  request,
}) => {
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Steady Layout');
  const patient = await api.newPatient('Steady Layout Patient');
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
  const booked = [];
  for (const slot of [slots[0], slots[12], slots[30]]) {
    const { appointment } = await client.call('bookAppointment', {
      doctorId: doctor.userId,
      start: slot!.start,
      reason: 'Follow-up on blood pressure',
    });
    booked.push(appointment);
  }
  await client.call(
    'cancelAppointment',
    { appointmentId: booked[2]!.appointmentId },
    { reason: 'Feeling better' },
  );

  for (const phone of PHONES) {
    const patientPage = await phonePage(browser, phone, patient, '/patient');
    await measureDashboard(patientPage, '/patient', async (page) => {
      await expect(page.locator('.card:has(#upcoming-title) li.appointment')).toHaveCount(2);
      await expect(page.locator('.card:has(#history-title) li.appointment')).toHaveCount(1);
    });
    await patientPage.context().close();

    const doctorPage = await phonePage(browser, phone, doctor, '/doctor');
    await measureDashboard(doctorPage, '/doctor', async (page) => {
      await expect(page.getByRole('heading', { name: 'The week ahead' })).toBeVisible();
      await expect(page.locator('li.appointment')).toHaveCount(3);
      await expect(page.getByRole('heading', { name: 'Waiting room' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    });
    await doctorPage.context().close();
  }
});
