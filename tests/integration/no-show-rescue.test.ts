import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { weekOf } from '../../shared/rescue';
import {
  DEVICE_CHECK_PASSED,
  advanceClock,
  as,
  book,
  call,
  admit,
  confirmPhone,
  eventually,
  newDoctor,
  openSlotsOf,
  platform,
  registerAndSignIn,
  tokenForRole,
} from './support';

const db = () =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: platform().dynamodbEndpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );

const passOf = async (token: string) =>
  (
    await db().send(
      new GetCommand({
        TableName: 'Telehealth',
        Key: { pk: `PASS#${createHash('sha256').update(token).digest('hex')}`, sk: 'PASS' },
      }),
    )
  ).Item;

/** A booked visit of a new doctor and patient, the patient texted (or not), with its start. */
async function bookedVisit({ textable = true, at }: { textable?: boolean; at?: string } = {}) {
  const doctor = await newDoctor(20);
  const patient = await registerAndSignIn();
  if (textable) {
    await call('updateMe', { token: patient.token, body: { smsOptIn: true } });
    await confirmPhone(patient.token);
  }
  // Past the booking notice: a slot two hours ahead.
  const slot = at ?? (await openSlotsOf(doctor.userId, patient.token, 24, 2))[0]!.start;
  const booked = await book(patient.token, doctor.userId, slot);
  expect(booked.status).toBe(201);
  return { doctor, patient, id: booked.json.appointment.appointmentId as string, start: slot };
}

const rescueOf = async (id: string) =>
  (await db().send(new GetCommand({ TableName: 'Telehealth', Key: { pk: `RESCUE#${id}`, sk: 'RESCUE' } })))
    .Item;

const linksOf = async (token: string, id: string) =>
  (await as(token).call('listOutbox', { query: { limit: 50 } })).items.filter(
    (m) => m.appointmentId === id && m.kind === 'visit-link' && m.status === 'sent',
  );

const tokenIn = (body: string) => /\/visit-link#([A-Za-z0-9_-]{43})\s/.exec(body)?.[1];

describe('no-show rescue', () => {
  it('at the start, a patient who has not checked in is texted a one-tap link, and the doctor sees it', async () => {
    const { doctor, patient, id, start } = await bookedVisit();
    expect(await linksOf(patient.token, id)).toEqual([]);
    await advanceClock(Date.parse(start) + 1_000);
    const [text] = await eventually(async () => {
      const links = await linksOf(patient.token, id);
      return links.length ? links : undefined;
    });
    expect(text!.body).toMatch(/^Riverside Demo Clinic: your video visit has started\. Tap to join: http/);
    expect(text!.body).toMatch(/Reply STOP to opt out\.$/);
    expect(text!.body).not.toContain('Follow-up');
    const token = tokenIn(text!.body)!;
    expect(token).toBeDefined();
    // Only the token's hash is stored, with the visit's end as its expiry.
    const pass = await passOf(token);
    expect(pass).toMatchObject({ appointmentId: id, holder: 'patient', holderId: patient.userId });
    expect(JSON.stringify(pass)).not.toContain(token);

    const range = { from: start, to: new Date(Date.parse(start) + 60_000).toISOString() };
    const { items } = await as(doctor.token).call('listRescues', { query: range });
    expect(items).toEqual([
      expect.objectContaining({ appointmentId: id, sends: 1, textedAt: expect.any(String) }),
    ]);

    // Signed out, the link opens a visit session for this visit only, once.
    const redeemed = await call('redeemVisitPass', { body: { token } });
    expect(redeemed.status).toBe(200);
    expect(redeemed.json.visit).toMatchObject({ appointmentId: id, holder: 'patient' });
    expect((await call('redeemVisitPass', { body: { token } })).status).toBe(410);
    const session = { authorization: `Pass ${redeemed.json.sessionToken}` };
    const visit = await call('getPassVisit', { headers: session });
    expect(visit.status).toBe(200);
    expect(visit.json).toEqual({ visit: redeemed.json.visit, status: 'booked' });
    expect(JSON.stringify(visit.json)).not.toMatch(/Follow-up|Test Patient/);
    // The doctor sees the link opened.
    const opened = await as(doctor.token).call('listRescues', { query: range });
    expect(opened.items[0]!.openedAt).toEqual(expect.any(String));
    // The device check and consent check the patient in, as if signed in.
    const checkedIn = await call('passCheckIn', {
      headers: session,
      body: { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck: DEVICE_CHECK_PASSED },
    });
    expect(checkedIn.status).toBe(200);
    expect(checkedIn.json.status).toBe('checked_in');
    // The session opens nothing else: no patient's dashboard, no other route.
    expect((await call('listAppointments', { headers: session, query: {} })).status).toBe(401);
    expect((await call('getPassVisit', { headers: { authorization: 'Pass nope' } })).status).toBe(401);
  });

  it('once admitted, the rescued patient joins the call with the visit session, as the visit’s patient', async () => {
    const mine = await bookedVisit();
    const other = await bookedVisit({ at: mine.start });
    await advanceClock(Date.parse(mine.start) + 1_000);
    const [mySession, otherSession] = await Promise.all(
      [mine, other].map(async (visit) => {
        const text = await eventually(async () => (await linksOf(visit.patient.token, visit.id))[0]);
        const redeemed = await call('redeemVisitPass', { body: { token: tokenIn(text.body)! } });
        expect(redeemed.status).toBe(200);
        const session = { authorization: `Pass ${redeemed.json.sessionToken}` };
        const checkedIn = await call('passCheckIn', {
          headers: session,
          body: { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck: DEVICE_CHECK_PASSED },
        });
        expect(checkedIn.status).toBe(200);
        return session;
      }),
    );
    // Not admitted yet: refused, as the signed-in join is.
    const early = await call('passJoinCall', { headers: mySession });
    expect(early.status).toBe(403);
    expect(early.json.error.code).toBe('not_admitted');
    // Another visit under way opens nothing for this session: it is for its own visit only.
    await admit(other.doctor.token, other.id);
    expect((await call('passJoinCall', { headers: otherSession })).status).toBe(200);
    const elsewhere = await call('passJoinCall', { headers: mySession });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json.error.code).toBe('not_admitted');

    await admit(mine.doctor.token, mine.id);
    const joined = await call('passJoinCall', { headers: mySession });
    expect(joined.status).toBe(200);
    expect(joined.json.provider).toBe('p2p');
    // Audited as the patient's own join, like a signed-in one.
    const admin = await tokenForRole('admin');
    // Audit entries carry the wall-clock time (the platform's clock is moved for the visit's start).
    const day = (offset: number) => new Date(Date.now() + offset).toISOString().slice(0, 10);
    const query = {
      from: day(-86_400_000),
      to: day(86_400_000),
      patientId: mine.patient.userId,
      action: 'call.joined',
    };
    const rows = await eventually(async () => {
      const { items } = await as(admin).call('readAuditTrail', { query });
      return items.length ? items : undefined;
    });
    expect(rows).toEqual([
      expect.objectContaining({
        actorId: mine.patient.userId,
        patientId: mine.patient.userId,
        targetId: mine.id,
      }),
    ]);

    // The visit over, the session is over too.
    const ended = await call('endVisit', { params: { appointmentId: mine.id }, token: mine.doctor.token });
    expect(ended.status).toBe(200);
    expect((await call('passJoinCall', { headers: mySession })).status).toBe(401);
  });

  it('re-sending texts a new link and revokes the old one; it is rate-limited and audited', async () => {
    const { doctor, patient, id, start } = await bookedVisit();
    await advanceClock(Date.parse(start) + 1_000);
    const first = await eventually(async () => (await linksOf(patient.token, id))[0]);
    const resent = await call('resendVisitLink', { params: { appointmentId: id }, token: doctor.token });
    expect(resent.status).toBe(200);
    expect(resent.json.rescue.sends).toBe(2);
    const second = await eventually(async () => {
      const links = await linksOf(patient.token, id);
      return links.length === 2 ? links[0] : undefined;
    });
    expect(tokenIn(second.body)).not.toBe(tokenIn(first.body));
    await eventually(async () => !(await passOf(tokenIn(first.body)!)));
    expect(await passOf(tokenIn(second.body)!)).toBeDefined();
    const old = await call('redeemVisitPass', { body: { token: tokenIn(first.body)! } });
    expect(old.status).toBe(410);
    expect(old.json.error.code).toBe('pass_unusable');
    // The patient cannot ask for links; the doctor only a few times.
    expect(
      (await call('resendVisitLink', { params: { appointmentId: id }, token: patient.token })).status,
    ).toBe(403);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await call('resendVisitLink', { params: { appointmentId: id }, token: doctor.token })).status,
      );
    expect(statuses).toContain(429);
  });

  it('no link for a patient who checked in, who opted out, or whose visit was cancelled', async () => {
    const present = await bookedVisit();
    const optedOut = await bookedVisit({ textable: false });
    const cancelled = await bookedVisit();
    const cancel = await call('cancelAppointment', {
      params: { appointmentId: cancelled.id },
      token: cancelled.doctor.token,
      body: { reason: 'Doctor unwell' },
    });
    expect(cancel.status).toBe(200);
    await advanceClock(Date.parse(present.start) - 5 * 60_000);
    const checkIn = await call('checkIn', {
      params: { appointmentId: present.id },
      token: present.patient.token,
      body: { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck: DEVICE_CHECK_PASSED },
    });
    expect(checkIn.status).toBe(200);
    const latest = [present, optedOut, cancelled]
      .map((v) => Date.parse(v.start))
      .sort()
      .at(-1)!;
    await advanceClock(latest + 1_000);
    // The present visit's job ran (it is counted) but texted nothing.
    await eventually(() => rescueOf(optedOut.id));
    await eventually(() => rescueOf(present.id));
    for (const visit of [present, optedOut, cancelled])
      expect(await linksOf(visit.patient.token, visit.id)).toEqual([]);
    expect(await rescueOf(cancelled.id)).toBeUndefined();
  });

  it('marking a no-show waits for the grace period, then counts in the doctor-week with late joins', async () => {
    const noShow = await bookedVisit({ textable: false });
    const late = await bookedVisit({ textable: false });
    await advanceClock(Math.max(Date.parse(noShow.start), Date.parse(late.start)) + 6 * 60_000);
    const early = await call('markNoShow', {
      params: { appointmentId: noShow.id },
      token: noShow.doctor.token,
    });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('grace_period');
    // The job at the start has counted both visits.
    for (const visit of [noShow, late]) await eventually(() => rescueOf(visit.id));

    const lateCheckIn = await call('checkIn', {
      params: { appointmentId: late.id },
      token: late.patient.token,
      body: { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck: DEVICE_CHECK_PASSED },
    });
    expect(lateCheckIn.status).toBe(200);

    await advanceClock(Date.parse(noShow.start) + 10 * 60_000 + 1_000);
    const marked = await call('markNoShow', {
      params: { appointmentId: noShow.id },
      token: noShow.doctor.token,
    });
    expect(marked.status).toBe(200);

    const week = weekOf(Date.parse(noShow.start), 'America/New_York');
    const rates = await eventually(async () => {
      const r = await as(noShow.doctor.token).call('visitRates', { query: {} });
      return r.weeks[0]?.visits ? r : undefined;
    });
    expect(rates.weeks).toHaveLength(6);
    expect(rates.weeks[0]).toEqual({ week, visits: 1, noShows: 1, lateJoins: 0 });
    const lateRates = await eventually(async () => {
      const r = await as(late.doctor.token).call('visitRates', { query: { weeks: '2' } });
      return r.weeks[0]?.visits ? r : undefined;
    });
    expect(lateRates.weeks[0]).toEqual({
      week: weekOf(Date.parse(late.start), 'America/New_York'),
      visits: 1,
      noShows: 0,
      lateJoins: 1,
    });
    expect((await call('visitRates', { token: late.doctor.token, query: { weeks: '40' } })).status).toBe(400);
  });
});
