import { expect, test } from '@playwright/test';
import { apiFor } from './api';
import { signIn } from './helpers';
import { framesDecoded, recordPeerConnections } from './webrtc-probe';

/**
 * Issue 14, no-show rescue, on the wall clock: a visit a few minutes ahead (a one-off date of the
 * doctor's hours starting at the next 5-minute step), a patient who opted in to texts and does not
 * check in. The wait is for the start itself (the scheduler's job), never a fixed sleep.
 */
test('a late patient is texted a link that opens the device check signed out, once; the doctor sees each step and admits them into the call', async ({
  browser,
  request,
}) => {
  test.setTimeout(9 * 60_000);
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Imani Okafor');
  const patient = await api.newPatient('Tomas Lindqvist');
  const asPatient = api.as(patient.token);
  await asPatient.call('updateMe', { smsOptIn: true });
  await asPatient.call('sendPhoneCode');
  const codeText = (await asPatient.call('listOutbox', { query: { limit: 10 } })).items.find(
    (m) => m.kind === 'phone-verification',
  );
  await asPatient.call('verifyPhone', { code: /\b(\d{6})\b/.exec(codeText!.body)![1]! });

  // Hours today from the next 5-minute step at least a minute away: the visit starts within 6 minutes.
  const step = 5 * 60_000;
  const start = Math.ceil((Date.now() + 70_000) / step) * step;
  const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
  const day = [{ start: '00:00', end: '24:00' }];
  await api.as(doctor.token).call('putAvailability', {
    timeZone: 'UTC',
    slotMinutes: 10,
    minNoticeMinutes: 0,
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
    daysOff: [],
    dates: [
      { date: new Date(start).toISOString().slice(0, 10), ranges: [{ start: hhmm(start), end: '24:00' }] },
    ],
  });
  const booked = await asPatient.call('bookAppointment', {
    doctorId: doctor.userId,
    start: new Date(start).toISOString(),
    reason: 'Follow-up on a sprained wrist',
  });
  const appointmentId = booked.appointment.appointmentId;

  const doctorContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await recordPeerConnections(doctorContext);
  const doctorPage = await doctorContext.newPage();
  await signIn(doctorPage, doctor.email, doctor.password);
  await expect(doctorPage.getByRole('heading', { name: 'Doctor dashboard' })).toBeVisible();
  const item = doctorPage.locator('li.appointment', { hasText: patient.name });
  await expect(item.getByRole('button', { name: 'No-show' })).toBeDisabled();

  const link =
    await test.step('at the start, the patient who has not checked in gets a link in the outbox', async () => {
      let body = '';
      await expect
        .poll(
          async () => {
            const { items } = await asPatient.call('listOutbox', { query: { limit: 20 } });
            body =
              items.find((m) => m.kind === 'visit-link' && m.appointmentId === appointmentId)?.body ?? '';
            return body;
          },
          { timeout: 8 * 60_000, intervals: [2_000] },
        )
        .toMatch(/Tap to join: http\S+\/visit-link#[A-Za-z0-9_-]{43} Reply STOP to opt out\.$/);
      expect(body).not.toMatch(/sprained|wrist|Tomas/);
      return /(http\S+\/visit-link#\S+)/.exec(body)![1]!;
    });

  await test.step('the doctor sees the link was texted, live', async () => {
    await expect(item.getByRole('list', { name: 'Late patient' })).toContainText(/Texted \d/);
  });

  const patientContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await recordPeerConnections(patientContext);
  const patientPage = await patientContext.newPage();
  await test.step('opened signed out, the link leads straight to the device check for that visit', async () => {
    await patientPage.goto(link);
    await expect(patientPage).toHaveURL(/\/visit-link\/check$/);
    await expect(patientPage.getByText('Video visit with Dr. Imani Okafor')).toBeVisible();
    await expect(
      patientPage.getByRole('heading', { name: '1. Check your camera, microphone and speakers' }),
    ).toBeVisible();
    await expect(item.getByRole('list', { name: 'Late patient' })).toContainText(/Opened link \d/);
    await expect(item.getByRole('list', { name: 'Late patient' })).toContainText('Checking devices');
  });

  await test.step('after the device check and consent the patient waits, and the doctor sees it', async () => {
    await patientPage.getByLabel('I agree to this video visit').check();
    await patientPage.getByRole('button', { name: 'Check in' }).click();
    await expect(patientPage.getByRole('heading', { name: 'You are checked in' })).toBeVisible();
    await expect(item.getByRole('list', { name: 'Late patient' })).toContainText('Waiting');
  });

  await test.step('the used link is refused with a clear page', async () => {
    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    await expect(
      again.getByRole('heading', { name: 'This link has been used or has expired' }),
    ).toBeVisible();
    await expect(again.getByRole('link', { name: 'Sign in to your account' })).toBeVisible();
  });

  await test.step('the doctor admits the patient, who joins the call signed out, with the visit session', async () => {
    const entry = doctorPage.locator('li', { has: doctorPage.getByRole('heading', { name: patient.name }) });
    await entry.getByRole('button', { name: 'Admit', exact: true }).click();
    await entry.getByRole('button', { name: 'Agree and admit' }).click();
    await expect(doctorPage).toHaveURL(new RegExp(`/call/${appointmentId}$`));
    await expect(patientPage).toHaveURL(/\/visit-link\/check$/);
    await expect(patientPage.getByTestId('patient-connected')).toHaveText('You are in the call.', {
      timeout: 15_000,
    });
    // Video both ways: each side decodes the other's frames.
    for (const page of [doctorPage, patientPage])
      await expect
        .poll(() => framesDecoded(page), { timeout: 20_000, intervals: [100, 250, 500] })
        .toBeGreaterThan(0);
  });
});
