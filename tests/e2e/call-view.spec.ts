import { expect, test } from '@playwright/test';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { apiFor } from './api';
import { seriousA11yViolations, signIn } from './helpers';
import { framesDecoded, recordPeerConnections } from './webrtc-probe';

const deviceCheck = { camera: true, microphone: true, speaker: true, browserSupported: true };

test('the call view: full screen, muted badge, the patient beside the doctor’s video with notes, phone chat, axe clean', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Lena Brandt');
  const patient = await api.newPatient('Omar Haddad');
  const appointment = await api.bookSoonest(patient.token, doctor.userId);
  const id = appointment.appointmentId;
  await api
    .as(patient.token)
    .call('checkIn', { appointmentId: id }, { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck });

  const patientContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const doctorContext = await browser.newContext({
    permissions: ['camera', 'microphone'],
    viewport: { width: 1280, height: 800 },
  });
  await recordPeerConnections(patientContext);
  await recordPeerConnections(doctorContext);
  const p = await patientContext.newPage();
  const d = await doctorContext.newPage();
  await signIn(p, patient.email, patient.password);
  await expect(p).toHaveURL(/\/patient$/);
  await p.goto(`/visit/${id}`);
  await expect(p.getByRole('heading', { name: 'You are checked in' })).toBeVisible();
  await signIn(d, doctor.email, doctor.password);
  const entry = d.locator('li', { has: d.getByRole('heading', { name: patient.name }) });
  await entry.getByRole('button', { name: 'Admit' }).click();
  await entry.getByRole('button', { name: 'Agree and admit' }).click();
  await expect(d).toHaveURL(new RegExp(`/call/${id}$`));
  await expect(p).toHaveURL(new RegExp(`/call/${id}$`), { timeout: 15_000 });
  await expect.poll(() => framesDecoded(d), { timeout: 20_000 }).toBeGreaterThan(0);
  await expect(d.getByTestId('remote-mic')).toBeVisible();

  // Full screen: no site navigation, no sign-out, for either side.
  for (const page of [d, p]) {
    await expect(page.getByRole('navigation')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toHaveCount(0);
    await expect(page.getByRole('main')).toBeVisible();
  }

  // Muting shows a badge on one's own screen and the other side's chip.
  await expect(p.getByTestId('self-muted')).toHaveCount(0);
  await p.getByRole('button', { name: 'Mute' }).click();
  await expect(p.getByTestId('self-muted')).toHaveText('You are muted');
  await expect(p.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
  await expect(d.getByTestId('remote-mic')).toHaveText(`${patient.name} is muted`);

  // Camera off: a note on one's own picture, the initials and name on the other side.
  await p.getByRole('button', { name: 'Turn camera off' }).click();
  await expect(p.getByTestId('self-camera-off')).toHaveText('Your camera is off');
  await expect(d.getByTestId('remote-camera-off')).toContainText(`${patient.name}'s camera is off`);
  await expect(d.getByTestId('remote-camera-off')).toContainText('OH');

  // The doctor sees who the patient is and why they came, and writes notes during the call.
  const panel = d.getByTestId('patient-panel');
  await expect(panel.getByRole('heading', { name: patient.name })).toBeVisible();
  await expect(panel.getByTestId('visit-reason')).toHaveText(appointment.reason);
  await expect(panel).toContainText('Age');
  await expect(panel).toContainText('No summaries from earlier visits.');
  await panel.getByLabel('Notes during the visit (only you see these)').fill('Cough for 3 days, no fever.');
  await panel.getByRole('button', { name: 'Save notes' }).click();
  await expect(panel.getByText('Notes saved.')).toBeVisible();
  const stored = await api.as(doctor.token).call('getVisitNotes', { appointmentId: id });
  expect(stored.notes.notes).toBe('Cough for 3 days, no fever.');
  expect(stored.notes.summaryShared).toBe(false);

  expect(await seriousA11yViolations(d)).toEqual([]);
  expect(await seriousA11yViolations(p)).toEqual([]);

  // On a phone the chat is one tap away, with an unread badge.
  await p.setViewportSize({ width: 390, height: 844 });
  const toggle = p.getByTestId('chat-toggle');
  await expect(toggle).toBeVisible();
  await expect(p.locator('.chat-log')).toHaveCount(0);
  await d.getByLabel('Message').fill('Please turn your camera back on.');
  await d.getByRole('button', { name: 'Send' }).click();
  await expect(p.getByTestId('chat-unread')).toContainText('1');
  expect(await seriousA11yViolations(p)).toEqual([]);
  await toggle.click();
  await expect(p.locator('.chat-log')).toContainText('Please turn your camera back on.');
  await expect(p.getByTestId('chat-unread')).toHaveCount(0);
  expect(await seriousA11yViolations(p)).toEqual([]);
  await p.getByRole('button', { name: 'Back to the video' }).click();
  await expect(p.locator('.chat-log')).toHaveCount(0);

  await d.setViewportSize({ width: 390, height: 844 });
  await expect(d.getByTestId('patient-panel')).toBeVisible();
  expect(await seriousA11yViolations(d)).toEqual([]);

  await patientContext.close();
  await doctorContext.close();
});
