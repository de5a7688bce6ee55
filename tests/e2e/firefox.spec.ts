import type { BrowserContext, Page } from '@playwright/test';
import { apiFor } from './api';
import {
  expect,
  expectPath,
  expectVideoFlowing as expectFirefoxVideo,
  field,
  role,
  seeText,
  signIn as firefoxSignIn,
  test,
  type FirefoxPage,
} from './firefox';
import { signIn } from './helpers';
import { framesDecoded, recordPeerConnections } from './webrtc-probe';

/** Chromium side: remote video decodes and the remote video element has a size. */
async function expectChromiumVideo(page: Page, timeout = 20_000) {
  await expect.poll(() => framesDecoded(page), { timeout, intervals: [100, 250, 500] }).toBeGreaterThan(0);
  await expect
    .poll(() => page.locator('video.remote').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout })
    .toBeGreaterThan(0);
}

async function chromiumCallContext(context: BrowserContext) {
  await recordPeerConnections(context);
  return context.newPage();
}

const textOf = (page: FirefoxPage, selector: string) =>
  page.$eval(selector, (el) => el.textContent ?? '').catch(() => '');

/** The patient's check-in in Firefox: device check, test sound, consent. */
async function checkInWithFirefox(p: FirefoxPage) {
  await p.locator(role('link', 'Check in')).click();
  await seeText(p, 'Waiting room');
  await seeText(p, 'Camera works');
  await p.locator(role('button', 'Play test sound')).click();
  await p.locator(role('button', 'I heard it')).click();
  await (await field(p, 'I agree to this video visit')).click();
  await p.locator(role('button', 'Check in')).click();
  await seeText(p, 'You are checked in');
}

test('a Firefox patient books and checks in, a Chromium doctor admits: video both ways, mute, chat, end', async ({
  browser,
  request,
  firefoxPage,
}) => {
  test.setTimeout(120_000);
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Ines Falk');
  const patient = await api.newPatient('Noor Haddad');
  const p = await firefoxPage();

  await test.step('the patient books the next open time with the doctor in Firefox', async () => {
    await firefoxSignIn(p, patient.email, patient.password);
    await expectPath(p, /^\/patient$/);
    await p.locator(role('link', 'Book')).click();
    await seeText(p, 'Book an appointment');
    await (await field(p, 'Search by name or specialty')).fill('Falk');
    await p.locator('label.choice ::-p-text("Dr. Ines Falk")').click();
    await p.locator('fieldset.days label.chip').click();
    // The soonest time that is not about to pass, so check-in is open right after booking.
    const starts = await p.$$eval('fieldset.times input', (inputs) =>
      inputs.map((i) => (i as HTMLInputElement).value),
    );
    const start = starts.find((s) => Date.parse(s) > Date.now() + 30_000);
    expect(start).toBeDefined();
    await p.locator(`fieldset.times label.chip:has(input[value="${start}"])`).click();
    await (await field(p, 'Reason for visit')).fill('Rash on the arm');
    await p.locator(role('button', 'Confirm booking')).click();
    await expectPath(p, /^\/patient$/);
    await seeText(p, 'Booked: your video visit with Dr. Ines Falk');
    expect(await p.$eval('li.appointment time', (t) => t.getAttribute('datetime'))).toBe(start);
  });

  await test.step('the patient checks in from Firefox', async () => {
    await checkInWithFirefox(p);
  });

  const doctorContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const d = await chromiumCallContext(doctorContext);

  await test.step('the doctor admits from Chromium and video flows both ways', async () => {
    await signIn(d, doctor.email, doctor.password);
    await expect(d).toHaveURL(/\/doctor$/);
    const entry = d.locator('li', { has: d.getByRole('heading', { name: patient.name }) });
    await entry.getByRole('button', { name: 'Admit' }).click();
    await entry.getByRole('button', { name: 'Agree and admit' }).click();
    await expect(d).toHaveURL(/\/call\/[^/]+$/);
    const callPath = new URL(d.url()).pathname;
    await expectPath(p, new RegExp(`^${callPath}$`));
    await expectChromiumVideo(d);
    await expectFirefoxVideo(p);
  });

  await test.step('the Firefox patient mutes; the Chromium doctor sees it', async () => {
    await p.locator(role('button', 'Mute')).click();
    await expect(d.getByTestId('remote-mic')).toHaveText(`${patient.name} is muted`);
  });

  await test.step('chat both ways', async () => {
    await (await field(p, `Message to ${doctor.name}`)).fill('Hello from Firefox');
    await p.locator(role('button', 'Send')).click();
    await expect(d.locator('.chat-log')).toContainText('Hello from Firefox');
    await d.getByLabel('Message').fill('Hello from Chromium');
    await d.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => textOf(p, '.chat-log')).toContain('Hello from Chromium');
  });

  await test.step('the doctor ends the visit for both', async () => {
    await d.getByRole('button', { name: 'End visit for both' }).click();
    await d.getByRole('button', { name: 'Yes, end the visit' }).click();
    await seeText(p, 'The visit has ended');
  });

  await doctorContext.close();
});

test('a Chromium patient meets a Firefox doctor: video both ways, mute, chat, end', async ({
  browser,
  request,
  firefoxPage,
}) => {
  test.setTimeout(120_000);
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Omar Lind');
  const patient = await api.newPatient('Eva Stone');
  const appointment = await api.bookSoonest(patient.token, doctor.userId);

  const patientContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const p = await chromiumCallContext(patientContext);
  await signIn(p, patient.email, patient.password);
  await expect(p).toHaveURL(/\/patient$/);
  await p.getByRole('link', { name: 'Check in' }).click();
  await expect(p.getByText('Camera works')).toBeVisible();
  await p.getByRole('button', { name: 'Play test sound' }).click();
  await p.getByRole('button', { name: 'I heard it' }).click();
  await p.getByLabel('I agree to this video visit').check();
  await p.getByRole('button', { name: 'Check in' }).click();
  await expect(p.getByRole('heading', { name: 'You are checked in' })).toBeVisible();

  const d = await firefoxPage();
  await test.step('the doctor admits from Firefox and video flows both ways', async () => {
    await firefoxSignIn(d, doctor.email, doctor.password);
    await expectPath(d, /^\/doctor$/);
    await seeText(d, patient.name);
    await d.locator(role('button', 'Admit')).click();
    await d.locator(role('button', 'Agree and admit')).click();
    await expectPath(d, new RegExp(`^/call/${appointment.appointmentId}$`));
    await expect(p).toHaveURL(new RegExp(`/call/${appointment.appointmentId}$`), { timeout: 15_000 });
    await expectFirefoxVideo(d);
    await expectChromiumVideo(p);
  });

  await test.step('the Chromium patient mutes; the Firefox doctor sees it', async () => {
    await p.getByRole('button', { name: 'Mute' }).click();
    await expect.poll(() => textOf(d, '[data-testid="remote-mic"]')).toBe(`${patient.name} is muted`);
  });

  await test.step('chat both ways', async () => {
    await p.getByLabel('Message').fill('Hello from Chromium');
    await p.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => textOf(d, '.chat-log')).toContain('Hello from Chromium');
    await (await field(d, `Message to ${patient.name}`)).fill('Hello from Firefox');
    await d.locator(role('button', 'Send')).click();
    await expect(p.locator('.chat-log')).toContainText('Hello from Firefox');
  });

  await test.step('the Firefox doctor ends the visit for both', async () => {
    await d.locator(role('button', 'End visit for both')).click();
    await d.locator(role('button', 'Yes, end the visit')).click();
    await expect(p.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
    await expectPath(d, new RegExp(`^/doctor/patients/${patient.userId}$`));
  });

  await patientContext.close();
});
