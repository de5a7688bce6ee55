import { describe, expect, it } from 'vitest';
import { isoWeekOf } from '../../shared/visit-feedback';
import { admit, as, call, checkedInVisit, registerAndSignIn, tokenForRole } from './support';

const rating = { kind: 'visit', visitRating: 2, callRating: 1, comment: 'The picture kept freezing.' };
const flag = { kind: 'technical', problems: ['no_audio', 'dropped'], note: 'Patient audio cut out twice' };
const summary = {
  browser: 'firefox',
  browserMajor: 128,
  provider: 'p2p',
  samples: 24,
  durationSeconds: 120,
  reconnects: 1,
  rttMs: { p50: 35, p95: 90 },
  packetLossPercent: { p50: 0, p95: 2.5 },
  inboundVideo: { widthP50: 640, heightP50: 480, bitrateKbps: { p10: 300, p50: 900, p90: 1400 } },
};

const feedback = (id: string, token: string, body: unknown) =>
  call('leaveVisitFeedback', { params: { appointmentId: id }, token, body });
const quality = (id: string, token: string, body: unknown) =>
  call('sendCallQuality', { params: { appointmentId: id }, token, body });

async function endedVisit() {
  const visit = await checkedInVisit();
  await admit(visit.doctor.token, visit.id);
  const ended = await call('endVisit', { params: { appointmentId: visit.id }, token: visit.doctor.token });
  expect(ended.status).toBe(200);
  return visit;
}

describe('feedback after a visit', () => {
  it('only after the visit ended, once per participant, only by its participants', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    const before = await feedback(id, patient.token, rating);
    expect(before.status).toBe(409);
    expect(before.json.error.code).toBe('visit_not_ended');
    await admit(doctor.token, id);
    expect((await feedback(id, doctor.token, flag)).json.error.code).toBe('visit_not_ended');
    await call('endVisit', { params: { appointmentId: id }, token: doctor.token });

    const stranger = await registerAndSignIn();
    const foreign = await feedback(id, stranger.token, rating);
    expect(foreign.status).toBe(404);
    const admin = await feedback(id, await tokenForRole('admin'), rating);
    expect(admin.status).toBe(403);

    const first = await feedback(id, patient.token, rating);
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ appointmentId: id, kind: 'visit' });
    const again = await feedback(id, patient.token, { ...rating, visitRating: 5 });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('feedback_exists');
    expect((await feedback(id, doctor.token, flag)).status).toBe(201);
    expect((await feedback(id, doctor.token, flag)).status).toBe(409);

    // What the admins see: the first rating, not the refused second one.
    const week = isoWeekOf(await platformStart(id, patient.token));
    const report = await as(await tokenForRole('admin')).call('visitQualityReport', {
      query: { week, doctorId: doctor.userId, limit: 100 },
    });
    const mine = report.items.filter((r) => r.appointmentId === id);
    // Equal scores keep the order they came in.
    expect(mine.map((r) => [r.kind, r.score])).toEqual([
      ['visit', 1],
      ['technical', 1],
    ]);
    expect(mine.find((r) => r.kind === 'visit')).toMatchObject({ visitRating: 2, callRating: 1 });
  });

  it('refuses malformed feedback with 400 and each side’s wrong kind', async () => {
    const { doctor, patient, id } = await endedVisit();
    for (const body of [
      { kind: 'visit', visitRating: 0, callRating: 3 },
      { kind: 'visit', visitRating: 3.5, callRating: 3 },
      { kind: 'visit', visitRating: 3, callRating: 3, comment: 'x'.repeat(1001) },
      { kind: 'visit', visitRating: 3, callRating: 3, extra: true },
      { kind: 'technical', problems: [] },
      { kind: 'technical', problems: ['no_audio', 'no_audio'] },
      { kind: 'other' },
    ]) {
      const res = await feedback(id, patient.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBeTruthy();
    }
    expect((await feedback(id, doctor.token, rating)).json.error.code).toBe('wrong_feedback_kind');
    expect((await feedback(id, patient.token, flag)).json.error.code).toBe('wrong_feedback_kind');
  });
});

describe('call-quality summaries', () => {
  it('holds numbers and enums only: unknown fields, addresses and out-of-range figures are refused', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    expect((await quality(id, patient.token, summary)).json.error.code).toBe('no_call');
    await admit(doctor.token, id);
    for (const body of [
      { ...summary, localAddress: '192.168.1.20' },
      { ...summary, candidate: 'candidate:1 1 udp 2122260223 10.0.0.5 54321 typ host' },
      { ...summary, browser: '203.0.113.7' },
      { ...summary, browser: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
      { ...summary, rttMs: { p50: 35, p95: 90, ip: '::1' } },
      { ...summary, packetLossPercent: { p50: 0, p95: 120 } },
      { ...summary, rttMs: { p50: -1, p95: 90 } },
      { ...summary, reconnects: 1.5 },
      { ...summary, samples: 0 },
      { ...summary, browserMajor: '128' },
    ]) {
      const res = await quality(id, patient.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const stranger = await registerAndSignIn();
    expect((await quality(id, stranger.token, summary)).status).toBe(404);
    expect((await quality(id, patient.token, summary)).status).toBe(201);
    expect((await quality(id, patient.token, summary)).json.error.code).toBe('quality_exists');
    expect((await quality(id, doctor.token, { ...summary, browser: 'chrome' })).status).toBe(201);

    const admin = as(await tokenForRole('admin'));
    const start = await platformStart(id, patient.token);
    const report = await admin.call('visitQualityReport', {
      query: { week: isoWeekOf(start), browser: 'firefox', doctorId: doctor.userId },
    });
    expect(report.items).toHaveLength(1);
    const [row] = report.items;
    expect(row).toMatchObject({ appointmentId: id, kind: 'quality', browser: 'firefox', quality: summary });
    expect(JSON.stringify(report)).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
    expect(report.summary!.byBrowser.map((g) => g.key)).toEqual(['firefox']);
    expect(report.summary!.byDoctor).toEqual([expect.objectContaining({ key: doctor.userId, summaries: 1 })]);
  });

  it('the report is for admins only and checks its week', async () => {
    const { patient } = await endedVisit();
    const notAdmin = await call('visitQualityReport', { token: patient.token, query: { week: '2026-W10' } });
    expect(notAdmin.status).toBe(403);
    const admin = await tokenForRole('admin');
    for (const week of ['2026-W54', '2026-10', 'last week']) {
      const res = await call('visitQualityReport', { token: admin, query: { week } });
      expect(res.status, week).toBe(400);
    }
  });
});

async function platformStart(id: string, token: string) {
  const { appointment } = await as(token).call('getAppointment', { appointmentId: id });
  return appointment.start;
}
