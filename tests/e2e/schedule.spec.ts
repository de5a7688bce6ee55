import { expect, test } from '@playwright/test';
import { apiFor } from './api';
import { seriousA11yViolations, signIn } from './helpers';

/** The UTC calendar date `days` from now (the test doctor's hours are in UTC). */
const utcDate = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test('a doctor adds a one-off closure and one-off hours and sees the slot preview change', async ({
  browser,
  request,
}) => {
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Preview Ames');
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await signIn(page, doctor.email, doctor.password);
  await expect(page).toHaveURL(/\/doctor$/);
  await page.goto('/doctor/availability');

  const closed = utcDate(2);
  const oneOff = utcDate(3);
  const preview = page.getByRole('region', { name: 'Preview of bookable times' });
  const dayOf = (date: string) => preview.locator(`li[data-date="${date}"]`);
  // Every day is open around the clock in 10-minute slots.
  await expect(dayOf(closed)).toContainText('144 times');
  await expect(dayOf(oneOff)).toContainText('144 times');

  await page.getByRole('button', { name: 'Add a day off' }).click();
  await page.getByLabel('Day off 1').fill(closed);
  await expect(dayOf(closed)).toContainText('Closed (day off)');
  await expect(dayOf(oneOff)).toContainText('144 times');

  await page.getByRole('button', { name: 'Add one-off hours' }).click();
  await page.getByLabel('One-off date 1', { exact: true }).fill(oneOff);
  await page.getByLabel('One-off date 1, range 1, From').fill('09:00');
  await page.getByLabel('One-off date 1, range 1, To').fill('10:00');
  await expect(dayOf(oneOff)).toContainText('6 times');
  await expect(dayOf(oneOff)).toContainText('9:00');

  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Save availability' }).click();
  await expect(page.getByText('Availability saved.')).toBeVisible();

  // What the preview showed is what patients are offered.
  const slots = await api
    .as(doctor.token)
    .call(
      'listOpenSlots',
      { doctorId: doctor.userId },
      { query: { from: `${closed}T00:00:00.000Z`, to: `${oneOff}T23:59:00.000Z` } },
    );
  expect(slots.items.filter((s) => s.start.startsWith(closed))).toEqual([]);
  expect(slots.items.filter((s) => s.start.startsWith(oneOff)).map((s) => s.start.slice(11, 16))).toEqual([
    '09:00',
    '09:10',
    '09:20',
    '09:30',
    '09:40',
    '09:50',
  ]);
  await context.close();
});
