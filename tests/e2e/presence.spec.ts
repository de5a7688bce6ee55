import { expect, test, type Page } from '@playwright/test';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { apiFor } from './api';
import { seriousA11yViolations, signIn } from './helpers';
import { framesDecoded, peerConnectionCount, recordPeerConnections } from './webrtc-probe';

const deviceCheck = { camera: true, microphone: true, speaker: true, browserSupported: true };

async function expectVideoFlowing(page: Page, timeout = 20_000) {
  await expect.poll(() => framesDecoded(page), { timeout, intervals: [100, 250, 500] }).toBeGreaterThan(0);
}

test('waiting-room chat both ways before admitting; the doctor sees the patient leave, come back, and close the tab', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Ines Moreau');
  const patient = await api.newPatient('Maya Lindqvist');
  const appointment = await api.bookSoonest(patient.token, doctor.userId);
  const id = appointment.appointmentId;
  await api
    .as(patient.token)
    .call('checkIn', { appointmentId: id }, { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck });

  const patientContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const doctorContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await recordPeerConnections(patientContext);
  await recordPeerConnections(doctorContext);
  let p = await patientContext.newPage();
  const d = await doctorContext.newPage();

  await signIn(p, patient.email, patient.password);
  await expect(p).toHaveURL(/\/patient$/);
  await p.goto(`/visit/${id}`);
  await expect(p.getByRole('heading', { name: 'You are checked in' })).toBeVisible();
  await signIn(d, doctor.email, doctor.password);
  await expect(d).toHaveURL(/\/doctor$/);
  const entry = d.locator('li', { has: d.getByRole('heading', { name: patient.name }) });
  await expect(entry).toBeVisible();

  // The queue shows whether the patient has the waiting room open.
  const waitingPresence = entry.getByTestId('waiting-presence');
  await expect(waitingPresence).toHaveText('In the waiting room');
  await p.goto('/patient');
  await expect(waitingPresence).toHaveText('Left the waiting room', { timeout: 2_000 });
  await p.goto(`/visit/${id}`);
  await expect(waitingPresence).toHaveText('In the waiting room', { timeout: 5_000 });

  // The patient writes while waiting; the doctor's queue shows it, unread.
  await p.getByLabel('Message').fill('I am a few minutes early, no rush.');
  await p.getByRole('button', { name: 'Send' }).click();
  await expect(entry.getByTestId('unread-count')).toHaveText(/^1/);
  await expect(entry).toContainText('I am a few minutes early, no rush.');
  expect(await seriousA11yViolations(d)).toEqual([]);

  // The doctor opens the chat: read, and the patient sees it was seen; the answer arrives.
  await entry.getByTestId('queue-chat-toggle').click();
  await expect(entry.getByTestId('unread-count')).toHaveCount(0);
  await expect(p.getByTestId('chat-seen')).toHaveText(`Seen by ${doctor.name}`);
  await entry.getByLabel('Message').fill('Thanks Maya, I will be with you shortly.');
  await entry.getByRole('button', { name: 'Send' }).click();
  await expect(p.locator('.chat-log')).toContainText('Thanks Maya, I will be with you shortly.');
  await expect(entry.getByTestId('chat-seen')).toHaveText(`Seen by ${patient.name}`);
  expect(await seriousA11yViolations(d)).toEqual([]);
  expect(await seriousA11yViolations(p)).toEqual([]);
  // The same waiting room and queue on a phone.
  await p.setViewportSize({ width: 390, height: 844 });
  await d.setViewportSize({ width: 390, height: 844 });
  expect(await seriousA11yViolations(p)).toEqual([]);
  expect(await seriousA11yViolations(d)).toEqual([]);
  await p.setViewportSize({ width: 1280, height: 720 });
  await d.setViewportSize({ width: 1280, height: 720 });

  // Admit: one connection per side, video both ways.
  await entry.getByRole('button', { name: 'Admit' }).click();
  await entry.getByRole('button', { name: 'Agree and admit' }).click();
  await expect(d).toHaveURL(new RegExp(`/call/${id}$`));
  await expect(p).toHaveURL(new RegExp(`/call/${id}$`), { timeout: 15_000 });
  await expectVideoFlowing(d);
  await expectVideoFlowing(p);
  await expect(d.getByTestId('remote-mic')).toBeVisible();
  expect(await peerConnectionCount(d)).toBe(1);
  expect(await peerConnectionCount(p)).toBe(1);

  // Leave: the doctor knows within 2 s, the chips go, the phone number is offered.
  const status = d.getByTestId('call-status');
  await p.getByRole('button', { name: 'Leave' }).click();
  await expect(status).toHaveText(`${patient.name} left the visit`, { timeout: 2_000 });
  await expect(d.getByTestId('remote-mic')).toHaveCount(0);
  await expect(d.getByTestId('remote-camera')).toHaveCount(0);
  await expect(d.getByTestId('patient-phone')).toHaveAttribute('href', 'tel:+15555550142');
  expect(await seriousA11yViolations(d)).toEqual([]);

  // Rejoin: "back", and video again.
  await p.goto(`/call/${id}`);
  await expect(status).toHaveText(`${patient.name} is back`, { timeout: 10_000 });
  await expectVideoFlowing(p);
  await expect
    .poll(() => d.locator('video.remote').evaluate((v: HTMLVideoElement) => v.videoWidth))
    .toBeGreaterThan(0);
  await expect(d.getByTestId('remote-mic')).toBeVisible();
  expect(await seriousA11yViolations(d)).toEqual([]);

  // Tab closed: "left" or "reconnecting" within 2 s, then "left" once the socket is gone.
  await p.close();
  await expect(status).toHaveText(/left the visit|to reconnect/, { timeout: 2_000 });
  await expect(status).toHaveText(`${patient.name} left the visit`);
  await expect(d.getByTestId('remote-mic')).toHaveCount(0);

  // And back once more from a new tab: the browser's session still holds, no second sign-in.
  p = await patientContext.newPage();
  await p.goto(`/call/${id}`);
  await expect(status).toHaveText(`${patient.name} is back`, { timeout: 10_000 });
  await expectVideoFlowing(p);

  await patientContext.close();
  await doctorContext.close();
});
