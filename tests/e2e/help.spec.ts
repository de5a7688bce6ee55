import { expect, test, type Page } from '@playwright/test';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { apiFor } from './api';
import { seriousA11yViolations, signIn } from './helpers';

const PATIENT_SECTIONS = [
  'Book an appointment',
  'Check in before your visit',
  'In the waiting room',
  'During the video call',
  'Camera or microphone not working',
  'If the connection is weak',
  'Reschedule or cancel',
  'After the visit',
  'Privacy and your data',
];
const DOCTOR_SECTIONS = [
  'Your day at a glance',
  'Waiting room and admitting',
  'Call controls',
  'If the patient drops out',
  'Notes and shared summaries',
  'Availability',
  'Signing in and out',
];
const deviceCheck = { camera: true, microphone: true, speaker: true, browserSupported: true };

/** The guide's title, a contents entry and a heading per section, readable at the page's width, no axe findings. */
async function expectGuide(page: Page, title: string, sections: string[]) {
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const contents = page.getByRole('navigation', { name: 'On this page' });
  await expect(contents.getByRole('link')).toHaveText(sections);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(['On this page', ...sections]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
}

test('patients find help on the dashboard, in the waiting room and on the call (new tab), at phone width', async ({
  browser,
  request,
}) => {
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Ines Moreau');
  const patient = await api.newPatient('Tom Reyes');
  const { appointmentId } = await api.bookSoonest(patient.token, doctor.userId);
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    permissions: ['camera', 'microphone'],
  });
  const page = await context.newPage();

  await signIn(page, patient.email, patient.password);
  await expect(page).toHaveURL(/\/patient$/);
  await page.getByRole('link', { name: 'Help: booking, check-in and video visits' }).click();
  await expect(page).toHaveURL(/\/help\/patient$/);
  await expectGuide(page, 'Help for patients', PATIENT_SECTIONS);

  // The contents work from the keyboard: Enter on an entry moves the focus to its section.
  const contents = page.getByRole('navigation', { name: 'On this page' });
  await contents.getByRole('link', { name: 'Camera or microphone not working' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/help\/patient#camera$/);
  await expect(
    page.getByRole('heading', { level: 2, name: 'Camera or microphone not working' }),
  ).toBeFocused();

  await page.goto(`/visit/${appointmentId}`);
  await expect(page.getByRole('link', { name: 'Help with check-in and your camera' })).toHaveAttribute(
    'href',
    '/help/patient#check-in',
  );

  // In the call, help opens in another tab and the call stays where it is.
  await api
    .as(patient.token)
    .call('checkIn', { appointmentId }, { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck });
  await api
    .as(doctor.token)
    .call('admitPatient', { appointmentId }, { consentVersion: TELEHEALTH_CONSENT_VERSION });
  await page.goto(`/call/${appointmentId}`);
  await expect(page.getByTestId('call-status')).toBeVisible();
  const help = page.getByRole('link', { name: 'Help (opens in a new tab)' });
  await expect(help).toHaveAttribute('target', '_blank');
  const [tab] = await Promise.all([context.waitForEvent('page'), help.click()]);
  await expect(tab).toHaveURL(/\/help\/patient#camera$/);
  await expect(
    tab.getByRole('heading', { level: 2, name: 'Camera or microphone not working' }),
  ).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/call/${appointmentId}$`));
  await expect(page.getByTestId('call-status')).toBeVisible();
  await context.close();
});

test('doctors get their own guide from the dashboard and from /help; signed out, /help is the patients’', async ({
  page,
  browser,
  request,
}) => {
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Kofi Mensah');
  await signIn(page, doctor.email, doctor.password);
  await expect(page).toHaveURL(/\/doctor$/);
  await page.getByRole('link', { name: 'Help: waiting room, calls and notes' }).click();
  await expect(page).toHaveURL(/\/help\/doctor$/);
  await expectGuide(page, 'Help for doctors', DOCTOR_SECTIONS);

  await page.goto('/help');
  await expect(page).toHaveURL(/\/help\/doctor$/);

  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  await visitor.goto('/help');
  await expect(visitor).toHaveURL(/\/help\/patient$/);
  await expect(visitor.getByRole('heading', { level: 1, name: 'Help for patients' })).toBeVisible();
  await anonymous.close();
});
