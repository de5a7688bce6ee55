import { expect, test } from '@playwright/test';
import { apiFor } from './api';
import { seriousA11yViolations, signIn } from './helpers';

test('a browser without WebRTC gets the unsupported-browser page at check-in and on the call page, never a call', async ({
  browser,
  request,
}) => {
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Ines Albrecht');
  const patient = await api.newPatient('Noor Haddad');
  const appointment = await api.bookSoonest(patient.token, doctor.userId);

  // A phone whose browser has no RTCPeerConnection (as in some in-app browsers).
  const context = await browser.newContext({
    permissions: ['camera', 'microphone'],
    viewport: { width: 390, height: 844 },
  });
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    delete w.RTCPeerConnection;
    delete w.webkitRTCPeerConnection;
  });
  const page = await context.newPage();
  const cameraRequests: string[] = [];
  await page.exposeFunction('noteCameraRequest', (what: string) => cameraRequests.push(what));
  await page.addInitScript(() => {
    const media = navigator.mediaDevices;
    const original = media.getUserMedia.bind(media);
    media.getUserMedia = (constraints) => {
      void (window as unknown as { noteCameraRequest: (s: string) => void }).noteCameraRequest(
        'getUserMedia',
      );
      return original(constraints);
    };
  });

  await signIn(page, patient.email, patient.password);
  await expect(page).toHaveURL(/\/patient$/);
  await page.getByRole('link', { name: 'Check in' }).click();
  await expect(page.getByRole('heading', { name: 'Waiting room' })).toBeVisible();
  const notice = page.getByTestId('unsupported-browser');
  await expect(notice.getByRole('heading', { name: 'This browser cannot join a video visit' })).toBeVisible();
  await expect(notice).toContainText('Video calling (WebRTC)');
  await expect(notice).toContainText('Safari, on iOS 15 or newer');
  // No camera check runs in a browser that cannot call.
  await expect(page.getByText('Camera preview')).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // The link to open elsewhere is reachable by keyboard.
  await notice.getByRole('button', { name: 'Copy link' }).focus();
  await page.keyboard.press('Enter');
  await expect(notice.getByRole('status')).not.toBeEmpty();

  // The call page says the same instead of starting a call.
  await page.goto(`/call/${appointment.appointmentId}`);
  await expect(page.getByTestId('unsupported-browser')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to your dashboard' })).toBeVisible();
  await expect(page.locator('video')).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(cameraRequests).toEqual([]);
  await context.close();
});
