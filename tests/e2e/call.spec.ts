import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { isoWeekOf } from '../../shared/visit-feedback';
import { bundleSchemaErrors, loadFhirSchema } from '../support/fhir-schema';
import { apiFor } from './api';
import { seriousA11yViolations, signIn, signOut } from './helpers';
import { framesDecoded, recordPeerConnections } from './webrtc-probe';

// HL7's FHIR R4 schema takes seconds to compile: once, outside the timed test.
test.beforeAll(() => void loadFhirSchema());

async function expectVideoFlowing(page: Page, timeout = 20_000) {
  await expect.poll(() => framesDecoded(page), { timeout, intervals: [100, 250, 500] }).toBeGreaterThan(0);
  await expect
    .poll(() => page.locator('video.remote').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout })
    .toBeGreaterThan(0);
}

test('a doctor and a patient meet on video: check-in, admit, video both ways, mute, chat, reload, end, transcript', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Vida Okoye');
  const patient = await api.newPatient('Sam Patel');
  const appointment = await api.bookSoonest(patient.token, doctor.userId);

  const patientContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const doctorContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await recordPeerConnections(patientContext);
  await recordPeerConnections(doctorContext);
  let p = await patientContext.newPage();
  const d = await doctorContext.newPage();

  // The patient checks in: device check and consent.
  await signIn(p, patient.email, patient.password);
  await expect(p).toHaveURL(/\/patient$/);
  await p.getByRole('link', { name: 'Check in' }).click();
  await expect(p.getByRole('heading', { name: 'Waiting room' })).toBeVisible();
  await expect(p.getByText('Camera works')).toBeVisible();
  expect(await seriousA11yViolations(p)).toEqual([]);
  await p.getByRole('button', { name: 'Play test sound' }).click();
  await p.getByRole('button', { name: 'I heard it' }).click();
  await p.getByLabel('I agree to this video visit').check();
  await p.getByRole('button', { name: 'Check in' }).click();
  await expect(p.getByRole('heading', { name: 'You are checked in' })).toBeVisible();

  // The doctor sees the queue and admits.
  await signIn(d, doctor.email, doctor.password);
  await expect(d).toHaveURL(/\/doctor$/);
  const entry = d.locator('li', { has: d.getByRole('heading', { name: patient.name }) });
  await expect(entry).toBeVisible();
  await entry.getByRole('button', { name: 'Admit' }).click();
  // The doctor confirms in the doctor's own words, not the patient's.
  await expect(entry.locator('.consent-text')).toContainText('I will see this patient by video.');
  await entry.getByRole('button', { name: 'Agree and admit' }).click();
  await expect(d).toHaveURL(new RegExp(`/call/${appointment.appointmentId}$`));
  await expect(p).toHaveURL(new RegExp(`/call/${appointment.appointmentId}$`), { timeout: 15_000 });

  // Both see the other's video.
  await expectVideoFlowing(d);
  await expectVideoFlowing(p);
  expect(await seriousA11yViolations(d)).toEqual([]);

  // The patient mutes; the doctor sees it.
  await p.getByRole('button', { name: 'Mute' }).click();
  await expect(d.getByTestId('remote-mic')).toHaveText(`${patient.name} is muted`);

  // Chat both ways.
  await p.getByLabel('Message').fill('Hello doctor, can you hear me?');
  await p.getByRole('button', { name: 'Send' }).click();
  await expect(d.locator('.chat-log')).toContainText('Hello doctor, can you hear me?');
  await d.getByLabel('Message').fill('Yes, loud and clear.');
  await d.getByRole('button', { name: 'Send' }).click();
  await expect(p.locator('.chat-log')).toContainText('Yes, loud and clear.');

  // The patient reloads and is back in the call within 5 seconds, chat intact.
  await p.reload();
  const reloadedAt = Date.now();
  await expect.poll(() => framesDecoded(p), { timeout: 5_000, intervals: [100, 200] }).toBeGreaterThan(0);
  expect(Date.now() - reloadedAt).toBeLessThanOrEqual(5_000);
  await expect(p.locator('.chat-log')).toContainText('Hello doctor, can you hear me?');
  await expect(p.locator('.chat-log')).toContainText('Yes, loud and clear.');
  await expectVideoFlowing(d);

  // The patient closes the call tab by mistake and opens the link again: still signed in, back in the call.
  await p.close();
  p = await patientContext.newPage();
  await p.goto(`/call/${appointment.appointmentId}`);
  await expectVideoFlowing(p);
  await expect(p.locator('.chat-log')).toContainText('Yes, loud and clear.');
  await expectVideoFlowing(d);

  // The doctor ends the visit for both.
  await d.getByRole('button', { name: 'End visit for both' }).click();
  await d.getByRole('button', { name: 'Yes, end the visit' }).click();
  await expect(p.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();

  // The patient rates the visit (pointer) and the call (keyboard), with a word on the experience.
  await p.getByRole('group', { name: 'The visit overall' }).getByRole('radio', { name: /^4/ }).check();
  const callRating = p.getByRole('group', { name: 'The video and sound' });
  await callRating.getByRole('radio', { name: /^1/ }).focus();
  await p.keyboard.press('ArrowRight');
  await expect(callRating.getByRole('radio', { name: /^2/ })).toBeChecked();
  await p.getByLabel('Anything about your experience? (optional)').fill('The sound dropped once.');
  await p.getByRole('button', { name: 'Send feedback' }).click();
  await expect(p.getByTestId('feedback-thanks')).toBeVisible();

  // Ending takes the doctor straight to this visit's notes and summary, ready to type.
  await expect(d).toHaveURL(
    new RegExp(`/doctor/patients/${patient.userId}\\?visit=${appointment.appointmentId}$`),
  );
  const notes = d.getByLabel('Notes (only you see these)');
  await expect(notes).toBeVisible();
  await expect(notes).toBeFocused();
  expect(await seriousA11yViolations(d)).toEqual([]);

  // Below the notes, out of the way, the doctor may report a problem with the call.
  await d.getByText('Report a technical problem with this call').click();
  await d.getByLabel('No audio').check();
  await d.getByRole('button', { name: 'Send report' }).click();
  await expect(d.getByTestId('problem-reported')).toBeVisible();
  // Admins see both, and the doctor's browser's measured call quality, in the week's report (the
  // last reading comes from each connection's last good counters, kept after it closed).
  const admin = api.as(await api.adminToken());
  const week = isoWeekOf(appointment.start);
  await expect
    .poll(async () => {
      const report = await admin.call('visitQualityReport', { query: { week, doctorId: doctor.userId } });
      return report.items
        .filter((r) => r.appointmentId === appointment.appointmentId)
        .map((r) => `${r.role}:${r.kind}`)
        .sort();
    })
    .toEqual(expect.arrayContaining(['doctor:quality', 'doctor:technical', 'patient:visit']));

  // Until notes are written, the dashboard flags the visit and links back to them.
  await d.getByRole('link', { name: 'Schedule' }).click();
  const missing = d.locator('.notes-to-write');
  await expect(missing).toContainText('Notes missing');
  expect(await seriousA11yViolations(d)).toEqual([]);
  await missing.getByRole('link', { name: `Write notes for ${patient.name}` }).click();
  await expect(notes).toBeFocused();
  await notes.fill('Patient well. No follow-up needed.');
  await d.getByLabel('Summary for the patient').fill('Rest and drink fluids.');
  await d.getByLabel('Share summary with patient').check();
  await d.getByRole('button', { name: 'Save notes' }).click();
  await expect(d.getByText('Saved. The patient can read the summary.')).toBeVisible();

  // Both read the transcript from their history; the patient also reads the shared summary.
  expect(await seriousA11yViolations(p)).toEqual([]);
  await p.getByRole('link', { name: 'Back to your dashboard' }).click();
  const visit = p.locator('li', { has: p.getByText('Dr. Vida Okoye') }).filter({ hasText: 'Completed' });
  await visit.getByRole('button', { name: 'Chat transcript' }).click();
  await expect(visit.locator('.transcript')).toContainText('Hello doctor, can you hear me?');
  await expect(visit.locator('.transcript')).toContainText('Yes, loud and clear.');
  await visit.getByRole('button', { name: 'Visit summary' }).click();
  await expect(visit.getByText('Rest and drink fluids.')).toBeVisible();

  await d.goto(`/doctor/patients/${patient.userId}`);
  await d.getByRole('button', { name: 'Chat transcript' }).click();
  await expect(d.locator('.transcript')).toContainText('Yes, loud and clear.');

  // The visit downloads for the practice's EHR as a FHIR R4 Bundle that HL7's schema accepts.
  const [download] = await Promise.all([
    d.waitForEvent('download'),
    d
      .locator(`#visit-${appointment.appointmentId}`)
      .getByRole('button', { name: 'Download for EHR (FHIR)' })
      .click(),
  ]);
  const bundle = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(bundleSchemaErrors(bundle)).toEqual([]);
  const types = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
  expect(types).toEqual(
    expect.arrayContaining(['Encounter', 'Patient', 'Practitioner', 'DocumentReference']),
  );
  expect(JSON.stringify(bundle)).toContain('Yes, loud and clear.');

  await patientContext.close();
  await doctorContext.close();
});

test('the call page says what to do when it cannot open: come back later, or go back', async ({
  page,
  request,
}) => {
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Ada Brook');
  const patient = await api.newPatient('Lee Chen');
  const stranger = await api.newPatient('Kim Ray');
  const client = api.as(patient.token);
  const from = new Date(Date.now() + 48 * 3_600_000).toISOString();
  const to = new Date(Date.now() + 50 * 3_600_000).toISOString();
  const slot = (await client.call('listOpenSlots', { doctorId: doctor.userId }, { query: { from, to } }))
    .items[0]!;
  const { appointment } = await client.call('bookAppointment', {
    doctorId: doctor.userId,
    start: slot.start,
    reason: 'Check-up',
  });

  // Too early: when the room opens, in the viewer's own time, with no UTC or ISO time.
  await signIn(page, patient.email, patient.password);
  await expect(page).toHaveURL(/\/patient$/);
  await page.goto(`/call/${appointment.appointmentId}`);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The waiting room opens 15 minutes before, at');
  await expect(alert).not.toContainText('UTC');
  await expect(alert).not.toContainText(slot.start.slice(0, 10));
  expect(await seriousA11yViolations(page)).toEqual([]);
  await signOut(page);

  // Someone else's visit: retrying cannot help, so the page offers the way back instead.
  await signIn(page, stranger.email, stranger.password);
  await expect(page).toHaveURL(/\/patient$/);
  await page.goto(`/call/${appointment.appointmentId}`);
  await expect(page.getByRole('alert')).toContainText(/another account|could not find/);
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Back to your dashboard' }).click();
  await expect(page).toHaveURL(/\/patient$/);
});
