import { beforeEach, describe, expect, it } from 'vitest';
import type { Appointment } from '../../shared/appointments';
import type { CallQualitySummary } from '../../shared/visit-feedback';
import { BadRequest, Conflict, NotFound } from './errors';
import type { Identity } from './identity';
import { inMemoryDeps, inMemoryVisitQuality } from './testing/in-memory';
import {
  leaveVisitFeedback,
  qualityScore,
  recordCallQuality,
  visitQualityReport,
  type VisitFeedbackDeps,
} from './visit-feedback';

const doctor: Identity = { userId: 'doc-1', email: 'd@example.com', role: 'doctor' };
const patient: Identity = { userId: 'pat-1', email: 'p@example.com', role: 'patient' };
const stranger: Identity = { userId: 'pat-9', email: 'x@example.com', role: 'patient' };

const now = { value: new Date('2026-03-04T10:30:00Z') };
let deps: VisitFeedbackDeps;
let mem: ReturnType<typeof inMemoryDeps>;
let store: ReturnType<typeof inMemoryVisitQuality>;
let metrics: string[];

function visit(status: Appointment['status'], id = 'appt-1'): Appointment {
  const appointment = {
    appointmentId: id,
    doctorId: doctor.userId,
    patientId: patient.userId,
    doctorName: 'Dr One',
    patientName: 'Pat One',
    start: '2026-03-04T10:00:00.000Z',
    end: '2026-03-04T10:20:00.000Z',
    status,
    reason: 'Cough',
    createdAt: '2026-03-01T00:00:00.000Z',
    version: 1,
  } as Appointment;
  mem.appointments.set(id, appointment);
  return appointment;
}

const summary: CallQualitySummary = {
  browser: 'firefox',
  provider: 'p2p',
  samples: 12,
  durationSeconds: 60,
  reconnects: 0,
  rttMs: { p50: 30, p95: 80 },
  packetLossPercent: { p50: 0, p95: 0.5 },
  inboundVideo: { widthP50: 640, heightP50: 480, bitrateKbps: { p10: 400, p50: 800, p90: 1200 } },
};

beforeEach(() => {
  mem = inMemoryDeps(now);
  store = inMemoryVisitQuality();
  metrics = [];
  deps = {
    appointments: mem.deps.appointments,
    audit: mem.deps.audit,
    clock: mem.deps.clock,
    visitQuality: store,
    metrics: {
      visitRated: (v, c) => void metrics.push(`rated ${v}/${c}`),
      technicalProblems: (p) => void metrics.push(`problems ${p.join(',')}`),
      callQuality: (_s, score) => void metrics.push(`quality ${score}`),
    },
  };
});

const rate = (who: Identity, id = 'appt-1') =>
  leaveVisitFeedback(who, id, { kind: 'visit', visitRating: 4, callRating: 2, comment: 'Video froze' }, deps);

describe('feedback after a visit', () => {
  it('the patient rates once; the row is reported under the visit’s week, scored by the lower rating', async () => {
    visit('completed');
    await expect(rate(patient)).resolves.toEqual({ appointmentId: 'appt-1', kind: 'visit' });
    await expect(rate(patient)).rejects.toSatisfy(
      (e) => e instanceof Conflict && e.code === 'feedback_exists',
    );
    expect(store.rows).toHaveLength(1);
    expect(store.rows[0]).toMatchObject({
      week: '2026-W10',
      score: 2,
      role: 'patient',
      comment: 'Video froze',
    });
    expect(mem.audit.map((a) => a.action)).toEqual(['feedback.left']);
    expect(metrics).toEqual(['rated 4/2']);
  });

  it('the doctor flags technical problems; blocking ones score as the worst', async () => {
    visit('completed');
    await leaveVisitFeedback(doctor, 'appt-1', { kind: 'technical', problems: ['poor_quality'] }, deps);
    visit('completed', 'appt-2');
    await leaveVisitFeedback(doctor, 'appt-2', { kind: 'technical', problems: ['no_audio'] }, deps);
    expect(store.rows.map((r) => r.score)).toEqual([2, 1]);
    expect(metrics).toEqual(['problems poor_quality', 'problems no_audio']);
  });

  it('each side leaves its own kind only', async () => {
    visit('completed');
    await expect(
      leaveVisitFeedback(doctor, 'appt-1', { kind: 'visit', visitRating: 5, callRating: 5 }, deps),
    ).rejects.toBeInstanceOf(BadRequest);
    await expect(
      leaveVisitFeedback(patient, 'appt-1', { kind: 'technical', problems: ['dropped'] }, deps),
    ).rejects.toBeInstanceOf(BadRequest);
    expect(store.rows).toEqual([]);
  });

  it('is refused before the visit ended, and to anyone but its participants', async () => {
    for (const status of ['booked', 'checked_in', 'in_progress', 'cancelled', 'no_show'] as const) {
      visit(status);
      await expect(rate(patient)).rejects.toSatisfy(
        (e) => e instanceof Conflict && e.code === 'visit_not_ended',
      );
    }
    visit('completed');
    await expect(rate(stranger)).rejects.toBeInstanceOf(NotFound);
    expect(store.rows).toEqual([]);
  });
});

describe('call-quality summaries', () => {
  it('one per participant, from the start of the call on', async () => {
    visit('checked_in');
    await expect(recordCallQuality(patient, 'appt-1', summary, deps)).rejects.toSatisfy(
      (e) => e instanceof Conflict && e.code === 'no_call',
    );
    visit('in_progress');
    await recordCallQuality(patient, 'appt-1', summary, deps);
    await recordCallQuality(doctor, 'appt-1', summary, deps);
    await expect(recordCallQuality(patient, 'appt-1', summary, deps)).rejects.toSatisfy(
      (e) => e instanceof Conflict && e.code === 'quality_exists',
    );
    // A summary and a rating are apart: the patient may still rate once the visit ends.
    visit('completed');
    await rate(patient);
    expect(store.rows.map((r) => `${r.role}:${r.kind}`)).toEqual([
      'patient:quality',
      'doctor:quality',
      'patient:visit',
    ]);
    await expect(recordCallQuality(stranger, 'appt-1', summary, deps)).rejects.toBeInstanceOf(NotFound);
  });

  it('scores loss, delay, starved video and reconnects', () => {
    expect(qualityScore(summary)).toBe(5);
    expect(qualityScore({ ...summary, packetLossPercent: { p50: 1, p95: 4 } })).toBe(4);
    expect(qualityScore({ ...summary, rttMs: { p50: 500, p95: 900 }, reconnects: 1 })).toBe(2);
    expect(
      qualityScore({
        ...summary,
        packetLossPercent: { p50: 5, p95: 20 },
        rttMs: { p50: 500, p95: 900 },
        reconnects: 5,
        inboundVideo: { widthP50: 160, heightP50: 120, bitrateKbps: { p10: 20, p50: 60, p90: 90 } },
      }),
    ).toBe(1);
  });
});

describe('the admins’ report', () => {
  it('lists a week worst first, summarises by doctor and browser on the first page, names the patients', async () => {
    visit('completed');
    await recordCallQuality(patient, 'appt-1', { ...summary, reconnects: 3 }, deps);
    await recordCallQuality(doctor, 'appt-1', { ...summary, browser: 'chrome' }, deps);
    await rate(patient);
    const first = await visitQualityReport({ week: '2026-W10', limit: 2 }, deps);
    expect(first.report.items.map((r) => `${r.score}:${r.kind}`)).toEqual(['2:visit', '3:quality']);
    expect(first.report.items[0]).not.toHaveProperty('patientId');
    expect(first.patientIds).toEqual(['pat-1']);
    expect(first.report.summary!.week).toMatchObject({
      ratings: 1,
      averageVisitRating: 4,
      averageCallRating: 2,
      summaries: 2,
      averageQualityScore: 4,
      rttP95Median: 80,
    });
    expect(first.report.summary!.byDoctor.map((g) => g.key)).toEqual(['doc-1']);
    expect(first.report.summary!.byBrowser.map((g) => [g.key, g.averageQualityScore])).toEqual([
      ['firefox', 3],
      ['chrome', 5],
    ]);
    const second = await visitQualityReport(
      { week: '2026-W10', limit: 2, cursor: first.report.nextCursor },
      deps,
    );
    expect(second.report.items.map((r) => r.score)).toEqual([5]);
    expect(second.report.summary).toBeUndefined();
    const chromeOnly = await visitQualityReport({ week: '2026-W10', limit: 10, browser: 'chrome' }, deps);
    expect(chromeOnly.report.items.map((r) => r.browser)).toEqual(['chrome']);
    const empty = await visitQualityReport({ week: '2026-W11', limit: 10 }, deps);
    expect(empty).toMatchObject({ report: { items: [] }, patientIds: [] });
  });
});
