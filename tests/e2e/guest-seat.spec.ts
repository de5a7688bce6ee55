import { expect, test, type Page } from '@playwright/test';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { apiFor } from './api';
import { seriousA11yViolations, signIn } from './helpers';
import { recordPeerConnections } from './webrtc-probe';

/** framesDecoded of every remote video track on the page's open peer connections. */
const remoteVideoFrames = (page: Page): Promise<number[]> =>
  page.evaluate(`(async () => {
    const frames = [];
    for (const pc of window.__e2ePeerConnections ?? []) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') frames.push(r.framesDecoded ?? 0);
      });
    }
    return frames;
  })()`);

const deviceCheck = { camera: true, microphone: true, speaker: true, browserSupported: true };
const GUEST_PHONE = '+447700900123';

test('a guest invited by the patient joins through a one-time link, is admitted separately, and loses access when the visit ends', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Ines Okafor');
  const patient = await api.newPatient('Tomasz Nowak');
  const { appointmentId } = await api.bookSoonest(patient.token, doctor.userId);

  const contexts = await Promise.all(
    [0, 1, 2].map(() => browser.newContext({ permissions: ['camera', 'microphone'] })),
  );
  for (const c of contexts) await recordPeerConnections(c);
  const [d, p, g] = (await Promise.all(contexts.map((c) => c.newPage()))) as [Page, Page, Page];

  // The patient invites an interpreter from the appointment card (keyboard and labels only).
  await p.setViewportSize({ width: 390, height: 844 });
  await signIn(p, patient.email, patient.password);
  await expect(p).toHaveURL(/\/patient$/);
  await p.getByRole('button', { name: 'Invite a guest' }).click();
  await p.getByLabel('Guest’s name').fill('Ana Interpreter');
  await p.getByLabel('Who they are').selectOption('interpreter');
  await p.getByLabel('Guest’s mobile number').fill(GUEST_PHONE);
  await p.getByLabel('Guest’s mobile number').press('Enter');
  await expect(p.getByTestId('guest-status')).toHaveText('invited');
  expect(await seriousA11yViolations(p)).toEqual([]);

  // The text with the one-time link, in the local outbox (read as the demo admin).
  const admin = api.as(await api.adminToken());
  let link = '';
  await expect
    .poll(async () => {
      const { items } = await admin.call('listOutbox', { query: { limit: 50 } });
      const text = items.find(
        (m) => m.kind === 'guest_invitation' && m.to === GUEST_PHONE && m.body.includes('/pass#'),
      );
      link = text ? text.body.slice(text.body.indexOf('/pass#')) : '';
      return link;
    })
    .not.toBe('');

  // The guest (no account, a third browser) opens the link: name, device check, consent, waiting room.
  await g.goto(link);
  await expect(g).toHaveURL(/\/guest$/);
  await expect(g.getByLabel('Your name, as the doctor will see it')).toHaveValue('Ana Interpreter');
  await expect(g.getByText('Camera works')).toBeVisible();
  await g.getByLabel('I agree to this video visit').check();
  await g.getByRole('button', { name: 'Check in' }).click();
  await expect(g.getByTestId('guest-waiting')).toBeVisible();
  expect(await seriousA11yViolations(g)).toEqual([]);

  // The same link a second time is dead.
  const again = await contexts[2]!.newPage();
  await again.goto(link);
  await expect(again.getByTestId('dead-link')).toBeVisible();
  await again.close();

  // The patient checks in; the doctor admits the patient from the queue (the guest waits, shown
  // under the patient's row), then admits the guest separately from the call already under way.
  await api
    .as(patient.token)
    .call('checkIn', { appointmentId }, { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck });
  await signIn(d, doctor.email, doctor.password);
  await expect(d).toHaveURL(/\/doctor$/);
  const entry = d.locator('li', { has: d.getByRole('heading', { name: patient.name }) });
  await expect(entry.getByTestId('guest-status')).toContainText('waiting since');
  await entry.getByRole('button', { name: 'Admit', exact: true }).click();
  await entry.getByRole('button', { name: 'Agree and admit' }).click();
  await expect(d).toHaveURL(new RegExp(`/call/${appointmentId}$`));
  await p.goto(`/call/${appointmentId}`);
  const seat = d.getByTestId('guest-seat');
  await expect(seat.getByTestId('guest-status')).toContainText('waiting since');
  await seat.getByRole('button', { name: 'Admit guest', exact: true }).click();
  await expect(seat.getByTestId('guest-status')).toHaveText('admitted');

  // Three in the call: every page decodes video from both others (framesDecoded > 0 on every remote track).
  await expect(g.getByTestId('guest-connected')).toHaveText('You are in the call.', { timeout: 15_000 });
  for (const page of [d, p, g])
    await expect
      .poll(
        async () => {
          const frames = await remoteVideoFrames(page);
          return { tracks: frames.length, decoding: frames.filter((f) => f > 0).length };
        },
        { timeout: 30_000, intervals: [250, 500] },
      )
      .toEqual({ tracks: 2, decoding: 2 });

  // The guest's session opens nothing of the patient's: no dashboard, no call page, no transcript or history.
  const status = (path: string) =>
    g.evaluate(async (url) => {
      const session = JSON.parse(sessionStorage.getItem('visitSession') ?? '{}') as { sessionToken?: string };
      const res = await fetch(url, { headers: { authorization: `Pass ${session.sessionToken}` } });
      return res.status;
    }, path);
  expect(await status(`/api/appointments/${appointmentId}/messages`)).toBe(401);
  expect(await status(`/api/appointments/${appointmentId}`)).toBe(401);
  expect(await status(`/api/patients/${patient.userId}/visits`)).toBe(401);
  expect(await status('/api/visit')).toBe(200);
  const peek = await contexts[2]!.newPage();
  await peek.goto('/patient');
  await expect(peek).toHaveURL(/\/login$/);
  await peek.goto(`/call/${appointmentId}`);
  await expect(peek).toHaveURL(/\/login$/);
  await peek.close();

  // After the visit the guest's session and link are dead.
  await api.as(doctor.token).call('endVisit', { appointmentId });
  expect(await status('/api/visit')).toBe(401);
  await g.goto('/guest');
  await expect(g.getByTestId('dead-link')).toBeVisible();
  await g.goto(link);
  await expect(g.getByTestId('dead-link')).toBeVisible();
  await Promise.all(contexts.map((c) => c.close()));
});
