import { expect, test, type Browser, type Page } from '@playwright/test';
import { apiFor } from './api';
import { signIn } from './helpers';

/** A phone's viewport: what shifts there while data arrives is what a patient sees jump. */
const PHONE = { width: 390, height: 844 };
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
 * Holds every API request but the profile (`GET /me`) until `release` is called, so the loading
 * state is certainly painted before the data arrives, however fast loopback is.
 */
async function holdData(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname.startsWith('/api/') && url.pathname !== '/api/me',
    async (route) => {
      await released;
      await route.continue();
    },
  );
  return release;
}

/** Two animation frames: every shift of the frames painted so far has been reported. */
const settled = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

async function measureDashboard(page: Page, path: string, loaded: (page: Page) => Promise<void>) {
  await recordShifts(page);
  const release = await holdData(page);
  await page.goto(path);
  await expect(page.getByRole('status').filter({ hasText: 'Loading your' }).first()).toBeVisible();
  await settled(page);
  release();
  await loaded(page);
  await settled(page);
  const shifts = await page.evaluate(() => (window as unknown as { __shifts: Shift[] }).__shifts);
  const total = shifts.reduce((sum, s) => sum + s.value, 0);
  expect(total, `layout shifts at phone size: ${JSON.stringify(shifts)}`).toBeLessThanOrEqual(MAX_CLS);
}

async function phonePage(browser: Browser, user: { email: string; password: string }, home: string) {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(new RegExp(`${home}$`));
  return page;
}

test('the patient and doctor dashboards do not jump on a phone while their data arrives', async ({
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

  const patientPage = await phonePage(browser, patient, '/patient');
  await measureDashboard(patientPage, '/patient', async (page) => {
    await expect(page.locator('.card:has(#upcoming-title) li.appointment')).toHaveCount(2);
    await expect(page.locator('.card:has(#history-title) li.appointment')).toHaveCount(1);
  });

  const doctorPage = await phonePage(browser, doctor, '/doctor');
  await measureDashboard(doctorPage, '/doctor', async (page) => {
    await expect(page.getByRole('heading', { name: 'The week ahead' })).toBeVisible();
    await expect(page.locator('li.appointment')).toHaveCount(3);
    await expect(page.getByRole('heading', { name: 'Waiting room' })).toBeVisible();
  });
});
