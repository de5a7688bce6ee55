import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import {
  admit,
  advanceClock,
  as,
  call,
  checkedInVisit,
  DEVICE_CHECK_PASSED,
  platform,
  platformNow,
} from './support';
import { asGuest, invite, redeem, visitWithGuest } from './guests';
import { refusedStatus } from './ws-client';

describe('guest seats and visit passes', () => {
  it('a link is redeemed once; a used, unknown or expired link gets the same 410', async () => {
    const visit = await checkedInVisit();
    const { linkToken } = await invite(visit.patient.token, visit.id);
    const first = await redeem(linkToken);
    expect(first.status).toBe(200);
    expect(first.json.visit).toMatchObject({ appointmentId: visit.id, holder: 'guest' });
    expect(JSON.stringify(first.json)).not.toContain('Follow-up');
    const again = await redeem(linkToken);
    const unknown = await redeem('B'.repeat(43));
    expect([again.status, unknown.status]).toEqual([410, 410]);
    expect(again.json).toEqual(unknown.json);
    expect(again.json.error.code).toBe('pass_unusable');

    const { linkToken: late } = await invite(visit.patient.token, visit.id);
    await advanceClock(Date.parse(first.json.visit.end) + 31 * 60_000);
    const expired = await redeem(late);
    expect(expired.status).toBe(410);
    expect(expired.json).toEqual(unknown.json);
  });

  it('the guest checks in, waits for admission, and joins the call once admitted', async () => {
    const visit = await visitWithGuest();
    const waiting = await call('getGuestVisit', { headers: asGuest(visit.session) });
    expect(waiting.json).toMatchObject({ checkedIn: true, admitted: false, patientConsented: true });
    const early = await call('guestJoinCall', { headers: asGuest(visit.session) });
    expect(early.status).toBe(403);

    const queue = await as(visit.doctor.token).call('waitingRoom');
    expect(queue.items.find((i) => i.appointmentId === visit.id)?.guest).toMatchObject({
      guestId: visit.guest.guestId,
      checkedInAt: expect.any(String),
    });
    await as(visit.doctor.token).call('admitGuest', { appointmentId: visit.id });
    await admit(visit.doctor.token, visit.id);
    const joined = await call('guestJoinCall', { headers: asGuest(visit.session) });
    expect(joined.status).toBe(200);
    expect(joined.json.provider).toBe('p2p');
  });

  it("a doctor's guest cannot be admitted before the patient agrees", async () => {
    const visit = await checkedInVisit();
    const { linkToken } = await invite(visit.doctor.token, visit.id);
    const session = (await redeem(linkToken)).json.sessionToken;
    await call('guestCheckIn', {
      headers: asGuest(session),
      body: { name: 'Ana', consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck: DEVICE_CHECK_PASSED },
    });
    const refused = await call('admitGuest', {
      params: { appointmentId: visit.id },
      token: visit.doctor.token,
    });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('guest_consent_missing');
    const consent = await call('consentToGuest', {
      params: { appointmentId: visit.id },
      token: visit.patient.token,
      body: { consent: true },
    });
    expect(consent.json.guest.patientConsentAt).toEqual(expect.any(String));
    const admitted = await call('admitGuest', {
      params: { appointmentId: visit.id },
      token: visit.doctor.token,
    });
    expect(admitted.status).toBe(200);
  });

  it('a visit session opens no patient or doctor route, and no other pass route without it', async () => {
    const visit = await visitWithGuest();
    const pass = asGuest(visit.session);
    for (const id of ['getMe', 'listAppointments', 'exportMyData'] as const) {
      expect((await call(id, { headers: pass })).status).toBe(401);
    }
    const params = { appointmentId: visit.id };
    for (const id of ['getAppointment', 'listMessages', 'getVisitNotes', 'joinCall'] as const) {
      expect((await call(id, { params, headers: pass })).status).toBe(401);
    }
    // A Cognito token is not a visit session.
    const asPatient = await call('getGuestVisit', { token: visit.patient.token });
    expect(asPatient.status).toBe(401);
  });

  it('the WebSocket accepts a live visit session (?pass=) and refuses it once the visit ended', async () => {
    const visit = await visitWithGuest();
    const url = `${platform().url.replace('http', 'ws')}/ws?pass=${visit.session}`;
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.close();
    await admit(visit.doctor.token, visit.id);
    await advanceClock((await platformNow()) + 6 * 60_000);
    const ended = await call('endVisit', { params: { appointmentId: visit.id }, token: visit.doctor.token });
    expect(ended.status).toBe(200);
    expect(await refusedStatus(url)).toBe(403);
    const after = await call('getGuestVisit', { headers: asGuest(visit.session) });
    expect(after.status).toBe(401);
  });

  it('a re-invitation kills the earlier session; removing the guest kills the link', async () => {
    const visit = await visitWithGuest();
    const { linkToken } = await invite(visit.patient.token, visit.id);
    expect((await call('getGuestVisit', { headers: asGuest(visit.session) })).status).toBe(401);
    await as(visit.patient.token).call('removeGuest', { appointmentId: visit.id });
    expect((await redeem(linkToken)).status).toBe(410);
    expect((await as(visit.patient.token).call('getGuest', { appointmentId: visit.id })).guest).toBeNull();
  });
});
