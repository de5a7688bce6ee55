import { readFile } from 'node:fs/promises';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { api } from '../../shared/contract';
import { apiFor } from './api';
import { seriousA11yViolations, signIn } from './helpers';

/** The doctor and the patient live in different time zones, so local display and UTC must agree. */
const DOCTOR_TIME_ZONE = 'America/Los_Angeles';
const PATIENT_TIME_ZONE = 'Europe/Berlin';

async function signedIn(
  browser: Browser,
  user: { email: string; password: string },
  home: string,
  options: { timezoneId: string; viewport?: { width: number; height: number } },
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    timezoneId: options.timezoneId,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(new RegExp(`${home}$`));
  return page;
}

/** The browser's local calendar day `offset` days from now, as the app keys days (YYYY-MM-DD). */
function localDay(page: Page, offset: number): Promise<string> {
  return page.evaluate((n) => {
    const d = new Date();
    d.setDate(d.getDate() + n);
    const pad = (x: number) => String(x).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }, offset);
}

/** A link of the header's section navigation (Schedule, Availability, Patients / Dashboard, Book). */
const section = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });

const icsStamp = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

/** Picks a day and then the first open time on it in a slot picker; returns that slot's start. */
async function pickFirstSlotOn(scope: Page | Locator, day: string): Promise<string> {
  await scope.locator(`fieldset.days label.chip:has(input[value="${day}"])`).click();
  await expect(scope.locator(`fieldset.days input[value="${day}"]`)).toBeChecked();
  const first = scope.locator('fieldset.times label.chip').first();
  const start = (await first.locator('input').getAttribute('value'))!;
  await first.click();
  await expect(first.locator('input')).toBeChecked();
  return start;
}

async function expectNoSeriousViolations(page: Page) {
  expect(await seriousA11yViolations(page)).toEqual([]);
}

test('a patient books, the doctor sees it, the patient reschedules and cancels, texts and history follow', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const run = Date.now();
  const reason = `Persistent cough for two weeks (${run})`;
  const cancelReason = `Feeling better now (${run})`;

  const doctor = await signedIn(browser, DEMO_USERS.doctor, '/doctor', { timezoneId: DOCTOR_TIME_ZONE });

  await test.step('the doctor opens every day around the clock in the availability editor', async () => {
    await section(doctor, 'Availability').click();
    await expect(doctor.getByRole('heading', { name: 'Availability', level: 1 })).toBeVisible();
    await expect(doctor.getByLabel('Time zone')).toBeVisible();

    await doctor.getByLabel('Time zone').selectOption(DOCTOR_TIME_ZONE);
    // A bad slot length is refused next to its field before anything is sent.
    await doctor.getByLabel('Slot length (minutes)').fill('7');
    await doctor.getByRole('button', { name: 'Save availability' }).click();
    await expect(doctor.locator('#field-slotMinutes-error')).toContainText('at least 10 minutes');
    await expect(doctor.getByLabel('Slot length (minutes)')).toHaveAttribute('aria-invalid', 'true');
    await doctor.getByLabel('Slot length (minutes)').fill('20');

    const removeMonday = doctor.getByRole('button', { name: 'Remove Monday range 1' });
    while (await removeMonday.count()) await removeMonday.click();
    const removeDayOff = doctor.getByRole('button', { name: 'Remove day off 1' });
    while (await removeDayOff.count()) await removeDayOff.click();
    await doctor.getByRole('button', { name: 'Add hours on Monday' }).click();
    await doctor.getByLabel('Monday, range 1, From').fill('00:00');
    await doctor.getByLabel('Monday, range 1, To').fill('00:00'); // 00:00 as an end means midnight
    await doctor.getByRole('button', { name: 'Copy Monday’s hours to every day' }).click();
    await expect(doctor.getByLabel('Sunday, range 1, To')).toHaveValue('00:00');
    await expect(doctor.getByRole('button', { name: /Remove Sunday range 2/ })).toHaveCount(0);

    await expectNoSeriousViolations(doctor);
    await doctor.getByRole('button', { name: 'Save availability' }).click();
    await expect(doctor.getByRole('status').filter({ hasText: 'Availability saved' })).toBeVisible();
  });

  const patient = await signedIn(browser, DEMO_USERS.patient, '/patient', {
    timezoneId: PATIENT_TIME_ZONE,
    viewport: { width: 360, height: 740 },
  });
  // Two days ahead keeps the visit well outside the change cut-off, whenever the test runs.
  const day = await localDay(patient, 2);
  let bookedStart = '';

  await test.step('the patient books the first open slot of the day with Dr. Dana Rivera on a phone', async () => {
    await section(patient, 'Book').click();
    await expect(patient.getByRole('heading', { name: 'Book an appointment' })).toBeVisible();
    await patient.getByLabel('Search by name or specialty').fill('Rivera');
    await patient.getByRole('radio', { name: /Dr\. Dana Rivera/ }).check();
    bookedStart = await pickFirstSlotOn(patient, day);

    await patient.getByLabel('Reason for visit').fill(reason);
    await expect(patient.locator('#field-reason-count')).toHaveText(`${reason.length} / 500 characters`);

    await expectNoSeriousViolations(patient);
    const overflow = await patient.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await patient.getByRole('button', { name: 'Confirm booking' }).click();
    await expect(patient).toHaveURL(/\/patient$/);
    await expect(patient.getByText('Booked: your video visit with Dr. Dana Rivera')).toBeVisible();
    const item = patient.locator('li.appointment', { hasText: reason });
    await expect(item).toContainText('Dr. Dana Rivera');
    await expect(item).toContainText('General practice');
    await expect(item.locator('time')).toHaveAttribute('datetime', bookedStart);
  });

  await test.step('the doctor sees the booking with the patient and the reason on the dashboard', async () => {
    await section(doctor, 'Schedule').click();
    const item = doctor.locator('li.appointment', { hasText: reason });
    await expect(item).toBeVisible();
    await expect(item.getByRole('link', { name: DEMO_USERS.patient.name })).toBeVisible();
    await expect(item).toContainText('Booked');
    // A visit that has not started yet can be neither completed nor marked as a no-show.
    await expect(item.getByRole('button', { name: 'Mark complete' })).toBeDisabled();
    await expect(item.getByRole('button', { name: 'No-show' })).toBeDisabled();
  });

  let movedStart = '';
  await test.step('the patient reschedules to another slot and downloads it for the calendar', async () => {
    const item = patient.locator('li.appointment', { hasText: reason });
    await item.getByRole('button', { name: 'Reschedule' }).click();
    movedStart = await pickFirstSlotOn(item, day);
    expect(movedStart).not.toBe(bookedStart);
    await item.getByRole('button', { name: /^Move to / }).click();
    await expect(patient.getByText(/moved to/)).toBeVisible();
    await expect(item.locator('h3 time')).toHaveAttribute('datetime', movedStart);
    // The banner of the original booking gives way to the latest change.
    await expect(patient.getByText('Booked: your video visit with Dr. Dana Rivera')).toHaveCount(0);

    const download = patient.waitForEvent('download');
    await item.getByRole('button', { name: 'Add to calendar' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.ics$/);
    const ics = await readFile((await file.path())!, 'utf8');
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain(`DTSTART:${icsStamp(movedStart)}\r\n`);
    expect(ics).toMatch(/\r\nUID:[0-9a-f-]+@telehealth\r\n/);
    expect(ics).toContain('SUMMARY:Video visit with Dr. Dana Rivera\r\n');
    // Moved once since booking: a calendar replaces the old event instead of keeping both.
    expect(ics).toMatch(/\r\nSEQUENCE:[1-9]\d*\r\n/);
    expect(ics.replace(/\r\n /g, '')).toMatch(/\r\nURL:http:\/\/127\.0\.0\.1:\d+\/visit\/[0-9a-f-]+\r\n/);
    expect(ics).toContain('BEGIN:VALARM\r\n');
    expect(ics).not.toContain('cough');
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');
  });

  await test.step('the patient cancels with a reason and the visit moves to the history', async () => {
    const item = patient.locator('li.appointment', { hasText: reason });
    await item.getByRole('button', { name: 'Cancel', exact: true }).click();
    await item.getByRole('button', { name: 'Cancel appointment' }).click();
    // An empty reason is refused next to the field.
    await expect(item.locator('.field .error')).toHaveText('Give a reason');
    await item.getByLabel('Reason for cancelling').fill(cancelReason);
    await item.getByRole('button', { name: 'Cancel appointment' }).click();
    await expect(patient.getByText(/is cancelled\./)).toBeVisible();
    const upcoming = patient.locator('article', {
      has: patient.getByRole('heading', { name: 'Upcoming appointments' }),
    });
    await expect(upcoming.locator('li.appointment', { hasText: reason })).toHaveCount(0);
    const history = patient.locator('article', {
      has: patient.getByRole('heading', { name: 'Consultation history' }),
    });
    await expect(history.getByText(`Cancelled by you: ${cancelReason}`)).toBeVisible();
  });

  await test.step('the development outbox shows the booked, rescheduled and cancelled texts', async () => {
    await patient.getByRole('link', { name: 'Development outbox' }).click();
    await expect(patient.getByRole('heading', { name: 'Development outbox' })).toBeVisible();
    const messages = patient.locator('li.message');
    await expect(messages.first()).toBeVisible();
    // Texts are queued and sent a moment later (the number shows once sent): refresh until then.
    const newest = messages.filter({ hasText: DEMO_USERS.patient.phone });
    await expect(async () => {
      await patient.getByRole('button', { name: 'Refresh' }).click();
      await expect(newest.nth(0)).toHaveAttribute('data-kind', 'cancelled', { timeout: 1_000 });
    }).toPass();
    await expect(newest.nth(0)).toHaveAttribute('data-status', 'sent');
    await expect(newest.nth(0)).toContainText('Sent');
    await expect(newest.nth(1)).toHaveAttribute('data-kind', 'rescheduled');
    await expect(newest.nth(2)).toHaveAttribute('data-kind', 'booked');
    for (let i = 0; i < 3; i++) {
      await expect(newest.nth(i)).toContainText('Dr. Dana Rivera');
      await expect(newest.nth(i)).not.toContainText('cough');
    }
  });

  await test.step("the doctor's patient details show the cancelled visit", async () => {
    await section(doctor, 'Patients').click();
    await doctor.getByRole('link', { name: DEMO_USERS.patient.name }).click();
    await expect(doctor.getByRole('heading', { name: DEMO_USERS.patient.name, level: 1 })).toBeVisible();
    await expect(doctor.getByText(DEMO_USERS.patient.email)).toBeVisible();
    const visit = doctor.locator('li.appointment', { hasText: reason });
    await expect(visit).toContainText('Cancelled');
    await expect(visit).toContainText(`Cancelled by the patient: ${cancelReason}`);
    await expect(visit.locator('time')).toHaveAttribute('datetime', movedStart);
    await expectNoSeriousViolations(doctor);
  });

  await doctor.context().close();
  await patient.context().close();
});

test('double-submitting the booking form, even with the request sent twice, books one appointment', async ({
  browser,
  request,
}) => {
  const setup = await apiFor(request);
  const doctor = await setup.newDoctor(`Dr. Double ${Date.now()}`);
  const patientUser = await setup.newPatient('Dee Double');
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  await signIn(page, patientUser.email, patientUser.password);
  await expect(page).toHaveURL(/\/patient$/);

  // The network duplicates the booking request as a flaky connection's retry would: the same
  // request, with the same Idempotency-Key, reaches the server twice at the same moment.
  const replays: Promise<{ status: number; body: { appointment?: { appointmentId: string } } }>[] = [];
  await page.route(`**/api${api.bookAppointment.path}`, async (route) => {
    const sent = route.request();
    if (sent.method() === 'POST') {
      expect(sent.headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      replays.push(
        context.request
          .fetch(sent.url(), { method: 'POST', headers: sent.headers(), data: sent.postData() ?? '' })
          .then(async (r) => ({ status: r.status(), body: await r.json() })),
      );
    }
    await route.continue();
  });

  await section(page, 'Book').click();
  await page.getByLabel('Search by name or specialty').fill(doctor.name);
  await page.getByRole('radio', { name: new RegExp(doctor.name) }).check();
  await pickFirstSlotOn(page, await localDay(page, 2));
  await page.getByLabel('Reason for visit').fill('Checking a mole');
  await page.getByRole('button', { name: 'Confirm booking' }).dblclick();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByText(`Booked: your video visit with ${doctor.name}`)).toBeVisible();

  const replayed = await Promise.all(replays);
  expect(replayed.length).toBeGreaterThanOrEqual(1);
  const mine = await setup.as(patientUser.token).call('listAppointments', { query: { status: 'booked' } });
  expect(mine.items).toHaveLength(1);
  for (const r of replayed) {
    expect(r.status).toBe(201);
    expect(r.body.appointment?.appointmentId).toBe(mine.items[0]!.appointmentId);
  }
  await context.close();
});
