/**
 * Feedback after a visit and the call-quality summaries of both sides (docs/adr/0011-visit-feedback.md):
 * only the visit's participants, once each; ratings and flags only once the visit has ended.
 */
import type { Appointment } from '../../shared/appointments';
import {
  MAX_SUMMARY_ROWS,
  type CallQualitySummary,
  type QualityGroup,
  type TechnicalProblem,
  type VisitFeedbackRequest,
  type VisitQualityQuery,
  type VisitQualityReport,
  type VisitQualityRow,
  isoWeekOf,
} from '../../shared/visit-feedback';
import { getOwnAppointment } from './appointments';
import { BadRequest, Conflict } from './errors';
import type { Identity } from './identity';
import type {
  AppointmentRepository,
  AuditLog,
  Clock,
  QualityMetrics,
  StoredVisitQuality,
  VisitQualityRepository,
} from './ports';

export interface VisitFeedbackDeps {
  appointments: AppointmentRepository;
  visitQuality: VisitQualityRepository;
  audit: AuditLog;
  clock: Clock;
  metrics: QualityMetrics;
}

/** Problems that made the call unusable score as the worst visits; poor quality or other just above. */
const BLOCKING: readonly TechnicalProblem[] = ['no_video', 'no_audio', 'dropped'];

/** 1 (worst) – 5 (best) from one side's figures: loss, delay, a starved video stream, reconnects. */
export function qualityScore(summary: CallQualitySummary): number {
  let score = 5;
  const loss = summary.packetLossPercent?.p95;
  if (loss !== undefined) score -= loss >= 10 ? 2 : loss >= 3 ? 1 : 0;
  const rtt = summary.rttMs?.p95;
  if (rtt !== undefined) score -= rtt >= 800 ? 2 : rtt >= 300 ? 1 : 0;
  const lowBitrate = summary.inboundVideo?.bitrateKbps.p10;
  if (lowBitrate !== undefined && lowBitrate < 150) score -= 1;
  score -= Math.min(2, summary.reconnects);
  return Math.max(1, score);
}

function roleIn(appointment: Appointment, identity: Pick<Identity, 'userId'>) {
  return identity.userId === appointment.doctorId ? ('doctor' as const) : ('patient' as const);
}

function baseRow(appointment: Appointment, identity: Identity, deps: VisitFeedbackDeps) {
  return {
    appointmentId: appointment.appointmentId,
    doctorId: appointment.doctorId,
    patientId: appointment.patientId,
    userId: identity.userId,
    role: roleIn(appointment, identity),
    visitStart: appointment.start,
    week: isoWeekOf(appointment.start),
    submittedAt: deps.clock.now().toISOString(),
  };
}

/**
 * The patient's ratings or the doctor's technical flag: participants only (404 to anyone else, as
 * for any visit), only once it is completed (409 `visit_not_ended`), once each (409 `feedback_exists`).
 */
export async function leaveVisitFeedback(
  identity: Identity,
  appointmentId: string,
  input: VisitFeedbackRequest,
  deps: VisitFeedbackDeps,
) {
  const appointment = await getOwnAppointment(identity, appointmentId, deps);
  if (appointment.status !== 'completed') {
    throw new Conflict('Feedback can be left once the visit has ended', 'visit_not_ended');
  }
  const base = baseRow(appointment, identity, deps);
  const expected = base.role === 'patient' ? 'visit' : 'technical';
  if (input.kind !== expected) {
    throw new BadRequest(
      base.role === 'patient' ? 'Patients rate the visit' : 'Doctors report technical problems',
      { kind: `Must be ${expected}` },
      'wrong_feedback_kind',
    );
  }
  const row: StoredVisitQuality =
    input.kind === 'visit'
      ? {
          ...base,
          kind: 'visit',
          score: Math.min(input.visitRating, input.callRating),
          visitRating: input.visitRating,
          callRating: input.callRating,
          ...(input.comment ? { comment: input.comment } : {}),
        }
      : {
          ...base,
          kind: 'technical',
          score: input.problems.some((p) => BLOCKING.includes(p)) ? 1 : 2,
          problems: input.problems,
          ...(input.note ? { note: input.note } : {}),
        };
  if (!(await deps.visitQuality.add(row))) {
    throw new Conflict('You have already left feedback for this visit', 'feedback_exists');
  }
  await deps.audit.record({
    action: 'feedback.left',
    actorId: identity.userId,
    actorRole: identity.role,
    patientId: appointment.patientId,
    targetId: appointmentId,
  });
  if (input.kind === 'visit') deps.metrics.visitRated(input.visitRating, input.callRating);
  else deps.metrics.technicalProblems(input.problems);
  return { appointmentId, kind: input.kind };
}

/**
 * One side's call-quality summary, sent when its call ends: participants only, once the call has
 * started (the visit is in progress or completed), once each (409 `quality_exists`).
 */
export async function recordCallQuality(
  identity: Identity,
  appointmentId: string,
  summary: CallQualitySummary,
  deps: VisitFeedbackDeps,
) {
  const appointment = await getOwnAppointment(identity, appointmentId, deps);
  if (appointment.status !== 'in_progress' && appointment.status !== 'completed') {
    throw new Conflict('There was no call in this visit', 'no_call');
  }
  const score = qualityScore(summary);
  const stored = await deps.visitQuality.add({
    ...baseRow(appointment, identity, deps),
    kind: 'quality',
    score,
    browser: summary.browser,
    quality: summary,
  });
  if (!stored) throw new Conflict('This call’s quality was already sent', 'quality_exists');
  deps.metrics.callQuality(summary, score);
  return { appointmentId };
}

const average = (values: number[]) =>
  values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 : undefined;

function median(values: number[]) {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Averages of a group of submissions: ratings, flags, quality scores and typical p95 figures. */
export function summarise(key: string, rows: readonly VisitQualityRow[]): QualityGroup {
  const ratings = rows.filter((r) => r.kind === 'visit');
  const quality = rows.filter((r) => r.kind === 'quality');
  const defined = (values: (number | undefined)[]) => values.filter((n): n is number => n !== undefined);
  return {
    key,
    ratings: ratings.length,
    averageVisitRating: average(defined(ratings.map((r) => r.visitRating))),
    averageCallRating: average(defined(ratings.map((r) => r.callRating))),
    technicalFlags: rows.filter((r) => r.kind === 'technical').length,
    summaries: quality.length,
    averageQualityScore: average(quality.map((r) => r.score)),
    rttP95Median: median(defined(quality.map((r) => r.quality?.rttMs?.p95))),
    packetLossP95Median: median(defined(quality.map((r) => r.quality?.packetLossPercent?.p95))),
  };
}

function groupBy(rows: readonly VisitQualityRow[], keyOf: (row: VisitQualityRow) => string | undefined) {
  const groups = new Map<string, VisitQualityRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups].map(([key, members]) => summarise(key, members));
}

function rowOf({ patientId: _p, userId: _u, ...row }: StoredVisitQuality): VisitQualityRow {
  return row;
}

/**
 * A week's submissions worst first, paged; the first page adds the week's averages overall, by
 * doctor and by browser (browsers are known from quality summaries only). With whose visits the page
 * shows, for the read audit (comments may touch on a patient's health).
 */
export async function visitQualityReport(
  query: VisitQualityQuery,
  deps: Pick<VisitFeedbackDeps, 'visitQuality'>,
) {
  const filter = { doctorId: query.doctorId, browser: query.browser, kind: query.kind };
  const page = await deps.visitQuality.listWeek(query.week, filter, query.cursor, query.limit);
  const report: VisitQualityReport = { items: page.items.map(rowOf), nextCursor: page.nextCursor };
  if (!query.cursor) {
    const all: VisitQualityRow[] = [];
    let cursor: string | undefined;
    do {
      const next = await deps.visitQuality.listWeek(query.week, filter, cursor, 100);
      all.push(...next.items.map(rowOf));
      cursor = next.nextCursor;
    } while (cursor && all.length < MAX_SUMMARY_ROWS);
    report.summary = {
      week: summarise(query.week, all),
      byDoctor: groupBy(all, (r) => r.doctorId),
      byBrowser: groupBy(all, (r) => r.browser),
      truncated: cursor !== undefined,
    };
  }
  return { report, patientIds: [...new Set(page.items.map((r) => r.patientId))] };
}
