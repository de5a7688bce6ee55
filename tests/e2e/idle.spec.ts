import { expect, test, type Page } from '@playwright/test';
import { DEMO_USERS } from '../../infra/local/demo-users';
import type { WebConfig } from '../../shared/api';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { apiFor } from './api';
import { seriousA11yViolations, signIn } from './helpers';

/** The idle time shortened through the web config the app loads (15 minutes / 60 s by default). */
async function shortIdleTime(page: Page) {
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const config = (await response.json()) as WebConfig;
    await route.fulfill({ response, json: { ...config, idleSignOutSeconds: 8, idleWarningSeconds: 4 } });
  });
}

test('the app warns before the idle sign-out, a click keeps the session, and idling on signs out', async ({
  page,
}) => {
  await shortIdleTime(page);
  await page.clock.install();
  await signIn(page, DEMO_USERS.patient.email, DEMO_USERS.patient.password);
  await expect(page).toHaveURL(/\/patient$/);

  const warning = page.getByRole('alertdialog', { name: 'Are you still there?' });
  await expect(warning).toBeHidden();
  await page.clock.fastForward(5_000);
  await expect(warning).toBeVisible();
  await expect(warning).toContainText(/You will be signed out in [1-4] s for your privacy/);
  await expect(warning.getByRole('button', { name: 'Stay signed in' })).toBeFocused();
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Any click dismisses it (here: outside the dialog), and the session goes on.
  await page.mouse.click(5, 5);
  await expect(warning).toBeHidden();
  await expect(page).toHaveURL(/\/patient$/);

  // Then nothing more: first the warning again, then the login page with the reason.
  await page.clock.fastForward(5_000);
  await expect(warning).toBeVisible();
  await page.clock.fastForward(4_000);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status')).toHaveText('You were signed out after 8 seconds without activity');
  // Signed out for real: the dashboard sends back to the login page.
  await page.goto('/patient');
  await expect(page).toHaveURL(/\/login/);
});

test('a doctor in a video call is not signed out for not touching the keyboard', async ({
  browser,
  request,
}) => {
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Ines Moreau');
  const patient = await api.newPatient('Tomas Lindqvist');
  const { appointmentId } = await api.bookSoonest(patient.token, doctor.userId);
  const deviceCheck = { camera: true, microphone: true, speaker: true, browserSupported: true };
  await api
    .as(patient.token)
    .call('checkIn', { appointmentId }, { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck });
  await api
    .as(doctor.token)
    .call('admitPatient', { appointmentId }, { consentVersion: TELEHEALTH_CONSENT_VERSION });

  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await shortIdleTime(page);
  await page.clock.install();
  await signIn(page, doctor.email, doctor.password);
  await expect(page).toHaveURL(/\/doctor$/);
  await page.goto(`/call/${appointmentId}`);
  await expect(page.getByTestId('call-status')).toHaveText(/Waiting for the other person/);

  // Far past the idle time, with the camera and microphone on: no warning, still in the call.
  for (let i = 0; i < 3; i++) {
    await page.clock.fastForward(5_000);
    await expect(page.getByTestId('call-status')).toBeVisible();
  }
  await expect(page.getByRole('alertdialog')).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/call/${appointmentId}$`));
  await context.close();
});
