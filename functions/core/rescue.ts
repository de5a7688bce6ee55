/**
 * No-show rescue (issue 14): at a visit's start a patient who has not checked in is texted a one-tap
 * link; the doctor follows the steps live, may send a new link, and may mark a no-show after the
 * practice's grace period. Each doctor-week counts its visits, no-shows and late joins when they
 * happen, so the dashboard's rates are one query.
 */
import type { Appointment } from '../../shared/appointments';
import {
  isLateJoin,
  noShowAllowedFrom,
  LATE_JOIN_MINUTES,
  VISIT_LINK_PATH,
  weekOf,
  type RescueState,
  type VisitRates,
} from '../../shared/rescue';
import { addDays } from '../../shared/zoned-time';
import { BadRequest, Conflict } from './errors';
import type { Identity } from './identity';
import { notifyPatient, textablePhone, type NotificationDeps } from './notifications';
import type {
  AppointmentRepository,
  AuditLog,
  BusinessMetrics,
  RateLimiter,
  Realtime,
  RescueRepository,
} from './ports';
import { issuePass, tokenHash, type VisitPassStore } from './visit-passes';
import { enforceRateLimit } from './rate-limits';

export interface RescuePolicy {
  /** Minutes after the start before the doctor may mark a no-show (practice.json). */
  noShowGraceMinutes: number;
  /** The practice's zone: weeks run Monday to Sunday there. */
  timeZone: string;
  /** Where the web app is served: texted links point there. */
  webOrigin: string;
}

export interface RescueDeps extends NotificationDeps {
  appointments: Pick<AppointmentRepository, 'get'>;
  rescues: RescueRepository;
  realtime: Realtime;
  audit: AuditLog;
  metrics: BusinessMetrics;
  rateLimiter: RateLimiter;
  rescuePolicy: RescuePolicy;
}

/** A doctor may send a new link this often per visit (texts cost money and can annoy). */
export const RESEND_LIMIT = { count: 3, periodSeconds: 600 } as const;

const week = (iso: string, deps: Pick<RescueDeps, 'rescuePolicy'>) =>
  weekOf(Date.parse(iso), deps.rescuePolicy.timeZone);

/** Counts never fail the change that caused them: a lost count is logged with ids only. */
async function countSafely(
  appointment: Appointment,
  counter: 'visits' | 'noShows' | 'lateJoins',
  deps: Pick<RescueDeps, 'rescues' | 'rescuePolicy' | 'log'>,
) {
  try {
    await deps.rescues.count(appointment.doctorId, week(appointment.start, deps), counter);
  } catch (err) {
    deps.log.warn('visit count lost', {
      appointmentId: appointment.appointmentId,
      counter,
      errorName: (err as Error).name,
    });
  }
}

async function tellDoctor(rescue: RescueState, deps: Pick<RescueDeps, 'realtime' | 'log'>) {
  try {
    await deps.realtime.toUser(rescue.doctorId, { type: 'rescue', rescue });
  } catch (err) {
    deps.log.warn('push failed', { appointmentId: rescue.appointmentId, errorName: (err as Error).name });
  }
}

/** What a visit still waiting for its patient looks like: booked, not over. */
const awaitingPatient = (appointment: Appointment | undefined, now: number): appointment is Appointment =>
  appointment?.status === 'booked' && now < Date.parse(appointment.end);

/**
 * The job at a visit's start (the reminder schedule's second job). The appointment is re-read: a
 * cancelled visit, or one moved later (its job moved with it), does nothing. The visit is counted
 * for its doctor-week once (a retried job finds it counted); a patient not checked in is texted a
 * link if they opted in to texts.
 */
export async function startVisitRescue(
  appointment: Appointment | undefined,
  deps: RescueDeps,
): Promise<'texted' | 'present' | 'not_textable' | 'skipped'> {
  const now = deps.clock.now().getTime();
  if (!appointment || !['booked', 'checked_in', 'in_progress'].includes(appointment.status)) return 'skipped';
  if (now < Date.parse(appointment.start) - 60_000 || now >= Date.parse(appointment.end)) return 'skipped';
  const first = await deps.rescues.begin({
    appointmentId: appointment.appointmentId,
    doctorId: appointment.doctorId,
    start: appointment.start,
    sends: 0,
  });
  if (!first) return 'skipped';
  deps.metrics.count('VisitDue');
  await countSafely(appointment, 'visits', deps);
  if (appointment.status !== 'booked') return 'present';
  return (await queueLink(appointment, deps)) ? 'texted' : 'not_textable';
}

async function queueLink(appointment: Appointment, deps: RescueDeps): Promise<boolean> {
  const patient = await deps.profiles.get(appointment.patientId);
  if (!textablePhone(patient)) return false;
  const attempt = await deps.rescues.addSend(appointment.appointmentId);
  return notifyPatient('visit-link', appointment, deps, attempt);
}

/** The doctor sends a new link (the old one stops working once the new one is texted). */
export async function resendVisitLink(
  doctor: Identity,
  appointment: Appointment,
  deps: RescueDeps,
): Promise<RescueState> {
  const now = deps.clock.now().getTime();
  if (!awaitingPatient(appointment, now) || now < Date.parse(appointment.start)) {
    throw new Conflict(
      'A link can be sent only to a patient who has not checked in, between the start and the end of the visit.',
      'not_awaiting_patient',
    );
  }
  await enforceRateLimit(`visit-link:${appointment.appointmentId}`, RESEND_LIMIT, deps);
  const rescue = await deps.rescues.get(appointment.appointmentId);
  if (!rescue) throw new Conflict('This visit has not started its rescue yet.', 'not_awaiting_patient');
  if (!(await queueLink(appointment, deps))) {
    throw new Conflict(
      'This patient cannot be texted: they have not opted in to texts or confirmed a phone number.',
      'not_textable',
    );
  }
  await deps.audit.record({
    action: 'visit_link.resent',
    actorId: doctor.userId,
    patientId: appointment.patientId,
    targetId: appointment.appointmentId,
  });
  const state = (await deps.rescues.get(appointment.appointmentId)) ?? rescue;
  await tellDoctor(state, deps);
  return state;
}

/**
 * The texted link: the token rides in the fragment, which browsers never send to a server, so it
 * cannot leak through request logs, a CDN or a Referer header; the page posts it to redeem it.
 */
export const visitLinkUrl = (webOrigin: string, token: string): string =>
  `${webOrigin.replace(/\/+$/, '')}${VISIT_LINK_PATH}#${token}`;

export interface VisitLinkDeps {
  visitPasses: VisitPassStore;
  rescues: RescueRepository;
  realtime: Realtime;
  audit: AuditLog;
  clock: NotificationDeps['clock'];
  log: NotificationDeps['log'];
  webOrigin: string;
}

/**
 * The sender's part: a pass for the patient, valid until the visit's end, minted just before the
 * text is sent, so the token exists only in the text; `sent` records it and revokes the previous link.
 */
export async function mintVisitLink(appointment: Appointment, deps: VisitLinkDeps) {
  const token = await issuePass(appointment, { kind: 'patient', id: appointment.patientId }, 'rescue', deps);
  const hash = tokenHash(token);
  return {
    url: visitLinkUrl(deps.webOrigin, token),
    async sent(at: Date) {
      const { state, previous } = await deps.rescues.texted(
        appointment.appointmentId,
        at.toISOString(),
        hash,
      );
      if (previous && previous !== hash) await deps.visitPasses.revokePass(previous);
      await tellDoctor(state, deps);
    },
    /** The text did not go: nobody holds this link. */
    discard: () => deps.visitPasses.revokePass(hash),
  };
}

/** The patient opened the link (redeemed its pass): the doctor's queue shows it. */
export async function recordLinkOpened(
  appointmentId: string,
  deps: Pick<RescueDeps, 'rescues' | 'realtime' | 'log' | 'clock'>,
) {
  const state = await deps.rescues.opened(appointmentId, deps.clock.now().toISOString());
  if (state) await tellDoctor(state, deps);
}

/** Refuses a no-show before the practice's grace period has passed (the lifecycle's time rule). */
export function assertNoShowAllowed(
  appointment: Appointment,
  deps: Pick<RescueDeps, 'clock' | 'rescuePolicy'>,
) {
  const from = noShowAllowedFrom(appointment.start, deps.rescuePolicy.noShowGraceMinutes);
  if (deps.clock.now().getTime() < from) {
    throw new Conflict(
      `A patient can be marked as a no-show ${deps.rescuePolicy.noShowGraceMinutes} minutes after the start, from ${new Date(from).toISOString()}.`,
      'grace_period',
    );
  }
}

/** After a no-show is written: counted for the doctor-week and as a metric (the lifecycle ends its passes). */
export async function recordNoShow(appointment: Appointment, deps: RescueDeps) {
  deps.metrics.count('NoShow');
  await countSafely(appointment, 'noShows', deps);
}

/** After a check-in is written: a late one counts as a late join. */
export async function recordCheckIn(
  appointment: Appointment,
  deps: Pick<RescueDeps, 'rescues' | 'rescuePolicy' | 'log' | 'clock' | 'metrics'>,
) {
  if (!isLateJoin(appointment.start, deps.clock.now().toISOString())) return;
  deps.metrics.count('LateJoin');
  await countSafely(appointment, 'lateJoins', deps);
}

/** The doctor's weeks, newest first, this week included; weeks without counters are zeros. */
export async function visitRates(
  doctor: Identity,
  weeks: number,
  deps: Pick<RescueDeps, 'rescues' | 'rescuePolicy' | 'clock'>,
): Promise<VisitRates> {
  const thisWeek = week(deps.clock.now().toISOString(), deps);
  const firstWeek = addDays(thisWeek, -7 * (weeks - 1));
  const stored = new Map(
    (await deps.rescues.weeks(doctor.userId, firstWeek, thisWeek)).map((w) => [w.week, w]),
  );
  return {
    weeks: Array.from({ length: weeks }, (_, i) => {
      const key = addDays(thisWeek, -7 * i);
      return stored.get(key) ?? { week: key, visits: 0, noShows: 0, lateJoins: 0 };
    }),
    lateJoinMinutes: LATE_JOIN_MINUTES,
  };
}

/** The doctor's rescues of visits starting in [from, to). */
export async function listRescues(
  doctor: Identity,
  from: string,
  to: string,
  deps: Pick<RescueDeps, 'rescues'>,
) {
  if (!(to > from)) throw new BadRequest('`to` must be after `from`', { to: 'Must be after from' });
  return deps.rescues.listForDoctor(doctor.userId, from, to);
}
