import { expect, test, type Page } from '@playwright/test';
import { RATE_LIMIT, TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { apiFor } from './api';
import { signIn } from './helpers';
import {
  framesDecoded,
  peerConnectionCount,
  recordPeerConnections,
  recordSocketFrames,
  socketFrames,
} from './webrtc-probe';

const STARTS = 20;
const deviceCheck = { camera: true, microphone: true, speaker: true, browserSupported: true };

test(`${STARTS} consecutive call starts: one peer connection per side, no frame refused by the rate limit`, async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const api = await apiFor(request);
  const doctor = await api.newDoctor('Dr. Rafael Duarte');
  const patient = await api.newPatient('Noor Haddad');
  const { appointmentId } = await api.bookSoonest(patient.token, doctor.userId);
  await api
    .as(patient.token)
    .call('checkIn', { appointmentId }, { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck });
  await api
    .as(doctor.token)
    .call('admitPatient', { appointmentId }, { consentVersion: TELEHEALTH_CONSENT_VERSION });

  const contexts = await Promise.all(
    [0, 1].map(() => browser.newContext({ permissions: ['camera', 'microphone'] })),
  );
  for (const c of contexts) {
    await recordPeerConnections(c);
    await recordSocketFrames(c);
  }
  const [d, p] = (await Promise.all(contexts.map((c) => c.newPage()))) as [Page, Page];
  await signIn(d, doctor.email, doctor.password);
  await expect(d).toHaveURL(/\/doctor$/);
  await signIn(p, patient.email, patient.password);
  await expect(p).toHaveURL(/\/patient$/);

  const signalFrames: number[] = [];
  const allFrames: number[] = [];
  const total = (sent: Record<string, number>) => Object.values(sent).reduce((a, b) => a + b, 0);
  for (let start = 1; start <= STARTS; start++) {
    // Both open the call at the same moment: the interleaving that used to multiply connections.
    await Promise.all([d.goto(`/call/${appointmentId}`), p.goto(`/call/${appointmentId}`)]);
    for (const page of [d, p])
      await expect
        .poll(() => framesDecoded(page), { timeout: 20_000, intervals: [100, 250] })
        .toBeGreaterThan(0);
    const [dFrames, pFrames] = await Promise.all([socketFrames(d), socketFrames(p)]);
    const counts = [await peerConnectionCount(d), await peerConnectionCount(p)];
    expect(counts, `peer connections in start ${start}`).toEqual([1, 1]);
    expect([dFrames.rateLimited, pFrames.rateLimited], `rate_limited in start ${start}`).toEqual([0, 0]);
    const signals = (dFrames.sent.signal ?? 0) + (pFrames.sent.signal ?? 0);
    expect(Math.max(dFrames.sent.signal ?? 0, pFrames.sent.signal ?? 0)).toBeLessThan(RATE_LIMIT.frames / 4);
    signalFrames.push(signals);
    allFrames.push(total(dFrames.sent) + total(pFrames.sent));
  }
  test.info().annotations.push({
    type: 'signal frames per start (both sides)',
    description: `min ${Math.min(...signalFrames)}, max ${Math.max(...signalFrames)}: ${signalFrames.join(' ')}`,
  });
  console.log(`signal frames per start (both sides): ${signalFrames.join(' ')}`);
  console.log(`all frames per start (both sides): ${allFrames.join(' ')}`);
  await Promise.all(contexts.map((c) => c.close()));
});
