import { resolve } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { apiFor } from '../e2e/api';
import { signIn } from '../e2e/helpers';

const IMAGES = resolve(import.meta.dirname, '../../docs/manual/images');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** One picture of what is on screen now (not the whole page), at the page's current size. */
async function shoot(page: Page, name: string) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: resolve(IMAGES, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

/** A time zone where it is daytime now, so the pictures show office hours whenever they are taken. */
function daytimeZone(): string {
  const zones = ['America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Asia/Tokyo', 'Australia/Sydney'];
  const hour = (zone: string) =>
    Number(new Intl.DateTimeFormat('en-US', { hour: 'numeric', hourCycle: 'h23', timeZone: zone }).format());
  return zones.find((zone) => hour(zone) >= 8 && hour(zone) < 18) ?? 'America/Chicago';
}

/** The local platform's developer footer is not part of the product people use: keep it out of the pictures. */
async function withoutDevFooter(context: BrowserContext) {
  await context.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = '.footer { display: none !important; }';
      document.head.append(style);
    });
  });
}

test('screenshots for docs/manual: patient on a phone, doctor on a desktop', async ({ browser, request }) => {
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Vida Okoye');
  const patient = await api.newPatient('Maya Jones');
  const place = { locale: 'en-US', timezoneId: daytimeZone() };
  const patientContext = await browser.newContext({
    ...place,
    viewport: PHONE,
    permissions: ['camera', 'microphone'],
  });
  const doctorContext = await browser.newContext({
    ...place,
    viewport: DESKTOP,
    permissions: ['camera', 'microphone'],
  });
  await withoutDevFooter(patientContext);
  await withoutDevFooter(doctorContext);
  const p = await patientContext.newPage();
  const d = await doctorContext.newPage();

  // Booking: doctor, day and time, reason.
  await signIn(p, patient.email, patient.password);
  await expect(p).toHaveURL(/\/patient$/);
  await p.getByRole('link', { name: 'Book an appointment' }).first().click();
  await p.getByLabel('Search by name or specialty').fill('Okoye');
  await p.getByRole('radio', { name: /Dr\. Vida Okoye/ }).check();
  await p.locator('fieldset.days input').first().check();
  const starts = await p
    .locator('fieldset.times input')
    .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  const start = starts.find((s) => Date.parse(s) > Date.now() + 60_000);
  if (!start) throw new Error('no open time in the next minutes');
  await p.locator(`fieldset.times input[value="${start}"]`).check();
  await p.getByLabel('Reason for visit').fill('Sore throat for three days');
  await p.getByRole('button', { name: 'Confirm booking' }).scrollIntoViewIfNeeded();
  await shoot(p, 'patient-booking-phone');
  await p.getByRole('button', { name: 'Confirm booking' }).click();

  // The dashboard with the visit, open for check-in (slots are 10 minutes long, so it starts soon).
  await expect(p.getByRole('link', { name: 'Check in' })).toBeVisible();
  await shoot(p, 'patient-dashboard-phone');

  // The in-app help, one tap from the dashboard.
  await p.getByRole('link', { name: 'Help: booking, check-in and video visits' }).click();
  await expect(p.getByRole('heading', { level: 1, name: 'Help for patients' })).toBeVisible();
  await shoot(p, 'patient-help-phone');
  await p.goBack();

  // Check-in: device check and consent.
  await p.getByRole('link', { name: 'Check in' }).click();
  await expect(p.getByText('Camera works')).toBeVisible();
  await expect(p.getByText('Microphone works')).toBeVisible();
  await p.getByRole('button', { name: 'Play test sound' }).click();
  await p.getByRole('button', { name: 'I heard it' }).click();
  await p.getByRole('heading', { name: /Check your camera/ }).scrollIntoViewIfNeeded();
  await shoot(p, 'patient-check-in-phone');
  await p.getByLabel('I agree to this video visit').check();
  await p.getByRole('button', { name: 'Check in' }).click();

  // Waiting, with a message to the doctor.
  await expect(p.getByRole('heading', { name: 'You are checked in' })).toBeVisible();
  await p.getByLabel('Message').fill('Hello, I am ready when you are.');
  await p.getByRole('button', { name: 'Send' }).click();
  await p.evaluate(() => window.scrollTo(0, 0));
  await shoot(p, 'patient-waiting-room-phone');

  // The doctor's day: the waiting room with the patient, the admit consent open.
  await signIn(d, doctor.email, doctor.password);
  await expect(d).toHaveURL(/\/doctor$/);
  const entry = d.locator('li', { has: d.getByRole('heading', { name: patient.name }) });
  await expect(entry.getByText('In the waiting room')).toBeVisible();
  await entry.getByRole('button', { name: 'Admit' }).click();
  await expect(entry.getByRole('button', { name: 'Agree and admit' })).toBeVisible();
  await shoot(d, 'doctor-dashboard-desktop');
  await entry.getByRole('button', { name: 'Agree and admit' }).click();

  // The call, both sides.
  await expect(d).toHaveURL(/\/call\//);
  await expect(p).toHaveURL(/\/call\//, { timeout: 15_000 });
  const videoPlaying = (page: Page) =>
    expect
      .poll(() => page.locator('video.remote').evaluate((v: HTMLVideoElement) => v.videoWidth), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
  await videoPlaying(d);
  await videoPlaying(p);
  await expect(p.getByTestId('call-status')).toContainText('Connected');
  await expect(d.getByTestId('call-status')).toContainText('Connected');
  await d.getByLabel('Notes during the visit (only you see these)').fill('Throat red, no fever.');
  await d.getByRole('button', { name: 'Save notes' }).click();
  await expect(d.getByText('Notes saved.')).toBeVisible();
  await shoot(d, 'doctor-call-desktop');
  await shoot(p, 'patient-call-phone');

  // The doctor ends the visit and writes notes and a shared summary.
  await d.getByRole('button', { name: 'End visit for both' }).click();
  await d.getByRole('button', { name: 'Yes, end the visit' }).click();
  await expect(d.getByLabel('Notes (only you see these)')).toHaveValue('Throat red, no fever.');
  await d.getByLabel('Summary for the patient').fill('A throat infection. Rest, drink fluids, paracetamol.');
  await d.getByLabel('Share summary with patient').check();
  await d.getByRole('button', { name: 'Save notes' }).click();
  await expect(d.getByText('Saved. The patient can read the summary.')).toBeVisible();
  await d.locator('details.notes-editor').scrollIntoViewIfNeeded();
  await shoot(d, 'doctor-notes-desktop');

  // Weekly hours.
  await d.getByRole('link', { name: 'Availability' }).click();
  await expect(d.getByRole('heading', { name: 'Weekly hours' })).toBeVisible();
  await shoot(d, 'doctor-availability-desktop');

  // The patient reads the summary in the history, on a phone and on a computer.
  await expect(p.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
  await p.getByRole('link', { name: 'Back to your dashboard' }).click();
  const visit = p.locator('li', { has: p.getByText('Dr. Vida Okoye') }).filter({ hasText: 'Completed' });
  await visit.getByRole('button', { name: 'Visit summary' }).click();
  await expect(visit.getByText('A throat infection.')).toBeVisible();
  await p.setViewportSize(DESKTOP);
  await p.evaluate(() => window.scrollTo(0, 0));
  await shoot(p, 'patient-dashboard-desktop');
  await p.setViewportSize(PHONE);
  await p.getByRole('heading', { name: 'Consultation history' }).scrollIntoViewIfNeeded();
  await shoot(p, 'patient-history-phone');

  await patientContext.close();
  await doctorContext.close();
});
