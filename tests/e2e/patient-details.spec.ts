import { expect, test } from '@playwright/test';
import { seedVisits } from '../integration/seed-visits';
import { apiFor } from './api';
import { seriousA11yViolations, signIn } from './helpers';

// The platform's DynamoDB Local listens next to the gateway (playwright.config.ts).
const dynamodbEndpoint = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 4310) + 1}`;

test('a doctor reads a long history page by page, by keyboard, on a phone', async ({ browser, request }) => {
  const setup = await apiFor(request);
  const doctor = await setup.newDoctor(`Dr. Pager ${Date.now()}`);
  const patient = await setup.newPatient('Paige Long');
  await setup.bookSoonest(patient.token, doctor.userId);
  // 14 earlier visits, every fifth with notes: 15 in all, two pages of 10.
  const seeded = await seedVisits(dynamodbEndpoint, {
    doctor: { userId: doctor.userId, name: doctor.name },
    patient: { userId: patient.userId, name: patient.name },
    count: 14,
    before: Date.now(),
    notesEvery: 5,
  });

  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await signIn(page, doctor.email, doctor.password);
  await expect(page).toHaveURL(/\/doctor$/);
  await page.goto(`/doctor/patients/${patient.userId}`);

  await expect(page.getByRole('heading', { level: 1, name: 'Paige Long' })).toBeVisible();
  await expect(page.getByText('Patient since')).toBeVisible();
  const history = page.locator('article', { has: page.getByRole('heading', { name: 'Visits with you' }) });
  const visits = history.locator('.appointment-list > li');
  await expect(visits).toHaveCount(10);
  // Newest first: the booked visit, then the seeded ones from the most recent.
  await expect(visits.nth(1)).toContainText('Follow-up 1');
  await expect(visits.nth(1).getByLabel('Summary for the patient')).toHaveValue('Summary of visit 1');
  expect(await seriousA11yViolations(page)).toEqual([]);

  // No horizontal scrolling on a phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  // The next page, by keyboard.
  const more = history.getByRole('button', { name: 'Show earlier visits' });
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(visits).toHaveCount(15);
  await expect(more).toBeHidden();
  await expect(visits.last()).toContainText(`Follow-up ${seeded.length}`);
  const texts = await visits
    .locator('h3 time')
    .evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
  expect(new Set(texts).size).toBe(15);
  expect(texts).toEqual([...texts].sort().reverse());
  await context.close();
});

test('the summary shows even when the visit history fails, which offers a retry', async ({
  page,
  request,
}) => {
  const setup = await apiFor(request);
  const doctor = await setup.newDoctor(`Dr. Retry ${Date.now()}`);
  const patient = await setup.newPatient('Rita Retry');
  await setup.bookSoonest(patient.token, doctor.userId);
  await signIn(page, doctor.email, doctor.password);
  await expect(page).toHaveURL(/\/doctor$/);
  let fail = true;
  await page.route('**/api/patients/*/visits*', (route) =>
    fail
      ? route.fulfill({ status: 503, json: { error: { code: 'unavailable', message: 'Down' } } })
      : route.continue(),
  );
  await page.goto(`/doctor/patients/${patient.userId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Rita Retry' })).toBeVisible();
  const history = page.locator('article', { has: page.getByRole('heading', { name: 'Visits with you' }) });
  await expect(history.getByRole('alert')).toBeVisible();
  fail = false;
  await history.getByRole('button', { name: 'Try again' }).click();
  await expect(history.locator('.appointment-list > li')).toHaveCount(1);
});
