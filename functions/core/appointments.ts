import { createHash, randomUUID } from 'node:crypto';
import {
  allPages,
  IDEMPOTENCY_KEY_HOURS,
  MAX_SLOT_MINUTES,
  NEXT_AVAILABLE_DAYS,
  type Appointment,
  type AppointmentStatus,
  type Availability,
  type BookAppointmentRequest,
  type Page,
  type PatientDetails,
  type PatientVisit,
  type DoctorSummary,
  type SlotPurpose,
  type VisitNotes,
  type VisitNotesRequest,
} from '../../shared/appointments';
import { BadRequest, Conflict, Forbidden, NotFound, Unavailable, UnprocessableEntity } from './errors';
import type { Identity } from './identity';
import { isBookableDoctor, type Schedules } from './schedules';
import { gridBuckets, leadMinutes, openSlots, slotProblem, type Interval } from './slots';
import {
  BookingKeyTaken,
  StaleWrite,
  TimeTaken,
  WriteContention,
  type AppointmentRepository,
  type AuditLog,
  type ClaimChanges,
  type Clock,
  type ListOptions,
  type ProfileRepository,
  type RateLimiter,
  type Realtime,
  type ReminderScheduler,
  type RescueRepository,
  type BusinessMetrics,
  type TimeClaim,
} from './ports';
import { assertNoShowAllowed, recordNoShow, type RescuePolicy } from './rescue';
import { notifyPatient, type NotificationDeps } from './notifications';
import { enforceRateLimit } from './rate-limits';
import { revokeVisitPasses, type VisitPassStore } from './visit-passes';
import { BOOKING, LIFECYCLE, type LifecycleCommand, type LifecycleRecord } from './lifecycle';

export interface AppointmentPolicy {
  /** Patients may cancel or reschedule until this many minutes before the start. */
  changeCutoffMinutes: number;
  /** A booking starts at least this many minutes from now, unless the doctor set their own notice. */
  minNoticeMinutes: number;
  reminderMinutesBefore: number;
  /** A patient may hold at most this many upcoming booked or checked-in appointments (abuse limit). */
  maxUpcomingAppointments: number;
  /** Booking requests one patient may send per minute. */
  bookingsPerMinute: number;
}

export interface AppointmentDeps extends NotificationDeps {
  appointments: AppointmentRepository;
  profiles: ProfileRepository;
  /** Doctors' hours and bookability for the pickers, kept briefly per container. */
  schedules: Schedules;
  reminders: ReminderScheduler;
  /** Live updates to the doctor's and the patient's open dashboards. */
  realtime: Realtime;
  audit: AuditLog;
  clock: Clock;
  policy: AppointmentPolicy;
  rateLimiter: RateLimiter;
  /** No-show rescue: per-visit state and per-doctor-week counters (core/rescue.ts). */
  rescues: RescueRepository;
  rescuePolicy: RescuePolicy;
  metrics: BusinessMetrics;
  /** Ending a visit ends its visit passes and sessions (guests', a signed-out patient's). */
  visitPasses: VisitPassStore;
}

const MINUTE = 60_000;
/** Statuses that occupy the doctor's and the patient's time. */
export const ACTIVE_STATUSES: readonly AppointmentStatus[] = [
  'booked',
  'checked_in',
  'in_progress',
  'completed',
];
const MAX_SLOT_QUERY_DAYS = 62;
/** Statuses after which nobody joins the visit any more: its passes die on entering them. */
const VISIT_OVER: readonly AppointmentStatus[] = ['completed', 'cancelled', 'no_show'];

const SLOT_MESSAGES = {
  past: 'That time has already passed. Choose a later slot.',
  outside_availability: 'The doctor does not offer an appointment at that time.',
  beyond_horizon: 'Appointments can be booked at most 8 weeks ahead.',
  taken: 'That slot has just been taken. Choose another one.',
} as const;

/** "1 hour", "90 minutes", "2 hours". */
function duration(minutes: number): string {
  if (minutes % 60 !== 0) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = minutes / 60;
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** The refusal of a start too soon for the lead time (notice, or the change cut-off for a move). */
function tooShortNotice(lead: number): Conflict {
  return new Conflict(
    `This time is too soon: choose one at least ${duration(lead)} from now.`,
    'too_short_notice',
  );
}

/**
 * Where a refusal sends the patient instead. The practice's phone and email belong here once the
 * practice identity is configured.
 */
function contactThePractice(): string {
  return 'Please contact the practice by phone or message to make a change.';
}

function intervalOf(a: Pick<Appointment, 'start' | 'end'>): Interval {
  return { start: Date.parse(a.start), end: Date.parse(a.end) };
}

/**
 * The doctor's busy time that slots starting in [from, to) can run into, except `ignore`'s,
 * ascending: one read of the doctor's busy days (see docs/adr/0011). Appointments and slots last at
 * most MAX_SLOT_MINUTES.
 */
async function busyTime(
  doctorId: string,
  from: number,
  to: number,
  deps: AppointmentDeps,
  ignore?: string,
): Promise<Interval[]> {
  const reach = MAX_SLOT_MINUTES * MINUTE;
  const busy = await deps.appointments.listBusy(doctorId, from - reach, to + reach);
  return ignore === undefined ? busy : busy.filter((b) => b.appointmentId !== ignore);
}

/** A doctor patients may book: a deactivated one is as absent as in the directory. */
async function requireDoctor(doctorId: string, deps: AppointmentDeps) {
  const doctor = await deps.profiles.get(doctorId);
  if (!isBookableDoctor(doctor)) throw new NotFound('No such doctor');
  return doctor;
}

// ---- Availability -------------------------------------------------------------------------------

export async function setAvailability(doctor: Identity, availability: Availability, deps: AppointmentDeps) {
  await deps.appointments.putAvailability(doctor.userId, availability);
  deps.schedules.forget(doctor.userId);
  await deps.audit.record({
    action: 'availability.updated',
    actorId: doctor.userId,
    targetId: doctor.userId,
  });
  return availability;
}

export async function getAvailability(
  doctorId: string,
  deps: AppointmentDeps,
): Promise<Availability | undefined> {
  return deps.appointments.getAvailability(doctorId);
}

/**
 * The open slots a picker offers: `reschedule` leaves out times inside the change cut-off too, as
 * (patients) moving an appointment to them is refused. One read per request, the busy days: the
 * doctor's schedule comes from the container's short-lived cache (core/schedules.ts), as booking
 * checks the doctor and the slot afresh.
 */
export async function findOpenSlots(
  doctorId: string,
  query: { from: string; to: string; purpose: SlotPurpose },
  deps: AppointmentDeps,
) {
  const { from: fromIso, to: toIso } = query;
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  if (!(to > from)) throw new BadRequest('`to` must be after `from`', { to: 'Must be after from' });
  if (to - from > MAX_SLOT_QUERY_DAYS * 86_400_000) {
    throw new BadRequest(`Ask for at most ${MAX_SLOT_QUERY_DAYS} days at a time`, { to: 'Range too long' });
  }
  const [{ bookable, availability }, busy] = await Promise.all([
    deps.schedules.get(doctorId),
    busyTime(doctorId, from, to, deps),
  ]);
  if (!bookable) throw new NotFound('No such doctor');
  if (!availability) return [];
  return openSlots({
    availability,
    from,
    to,
    now: deps.clock.now().getTime(),
    leadMinutes: leadMinutes(availability, deps.policy, query.purpose === 'reschedule'),
    busy,
  });
}

/**
 * The directory: doctors matching `text`, each with their first open time within
 * NEXT_AVAILABLE_DAYS; doctors who have published no hours are left out (so a page may hold fewer
 * than `limit`). Two small reads per doctor: the availability and the busy days of the window.
 */
export async function searchDoctors(
  query: { text?: string; cursor?: string; limit: number },
  deps: AppointmentDeps,
) {
  const page = await deps.appointments.listDoctors(query);
  const now = deps.clock.now().getTime();
  const to = now + NEXT_AVAILABLE_DAYS * 86_400_000;
  const listed = await Promise.all(
    page.items.map(async (doctor): Promise<DoctorSummary | undefined> => {
      const availability = await deps.appointments.getAvailability(doctor.doctorId);
      if (!availability || !hasHours(availability)) return undefined;
      const busy = await busyTime(doctor.doctorId, now, to, deps);
      const lead = leadMinutes(availability, deps.policy, false);
      const [next] = openSlots({ availability, from: now, to, now, leadMinutes: lead, busy });
      return next ? { ...doctor, nextAvailable: next.start } : doctor;
    }),
  );
  return { ...page, items: listed.filter((d) => d !== undefined) };
}

function hasHours(availability: Availability): boolean {
  return (
    Object.values(availability.weekly).some((ranges) => ranges.length > 0) ||
    (availability.dates ?? []).length > 0
  );
}

// ---- Time claims --------------------------------------------------------------------------------

/**
 * The claims an appointment holds while active: every grid step of its time, once for the doctor
 * and once for the patient. Written in the same transaction as the appointment itself.
 */
export function claimsOf(a: Pick<Appointment, 'doctorId' | 'patientId' | 'start' | 'end'>): TimeClaim[] {
  const buckets = gridBuckets(intervalOf(a));
  return [`doctor:${a.doctorId}`, `patient:${a.patientId}`].flatMap((owner) =>
    buckets.map((bucket) => ({ owner, bucket })),
  );
}

const claimId = (c: TimeClaim) => `${c.owner}|${c.bucket}`;

/** Moving an appointment claims only the time it did not hold, and frees only what it leaves. */
export function claimChanges(from: readonly TimeClaim[], to: readonly TimeClaim[]): ClaimChanges {
  const before = new Set(from.map(claimId));
  const after = new Set(to.map(claimId));
  return {
    add: to.filter((c) => !before.has(claimId(c))),
    remove: from.filter((c) => !after.has(claimId(c))),
  };
}

/** The precise 409 for a write refused by the store. */
function refusal(err: unknown): unknown {
  if (err instanceof TimeTaken) {
    return err.claim.owner.startsWith('doctor:')
      ? new Conflict(SLOT_MESSAGES.taken, 'slot_taken')
      : new Conflict('You already have an appointment at that time.', 'patient_overlap');
  }
  if (err instanceof StaleWrite) {
    return new Conflict('The appointment changed meanwhile. Reload and try again.', 'stale');
  }
  if (err instanceof WriteContention) {
    return new Unavailable('Many changes are happening at once. Please try again in a moment.', 'busy');
  }
  return err;
}

// ---- Booking ------------------------------------------------------------------------------------

/** Refuses a start the doctor does not offer now; `moving` (a patient's reschedule) adds the cut-off. */
async function checkSlot(
  doctorId: string,
  start: number,
  deps: AppointmentDeps,
  { ignore, moving = false }: { ignore?: string; moving?: boolean } = {},
) {
  const [availability, busy] = await Promise.all([
    deps.appointments.getAvailability(doctorId),
    busyTime(doctorId, start, start + MINUTE, deps, ignore),
  ]);
  if (!availability) throw new Conflict(SLOT_MESSAGES.outside_availability, 'outside_availability');
  const lead = leadMinutes(availability, deps.policy, moving);
  const problem = slotProblem({
    availability,
    start,
    now: deps.clock.now().getTime(),
    leadMinutes: lead,
    busy,
  });
  if (problem === 'short_notice') throw tooShortNotice(lead);
  if (problem) throw new Conflict(SLOT_MESSAGES[problem], `slot_${problem}`);
  return availability;
}

/** Same patient, same fields: the same request (the reason as validated, times normalised). */
function bookingRequestHash(input: BookAppointmentRequest): string {
  const canonical = JSON.stringify([
    input.doctorId,
    new Date(input.start).toISOString(),
    input.reason,
    input.timeZone ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** The answer to a retried booking: the appointment the first request created. */
async function replayBooking(
  patient: Identity,
  key: string,
  requestHash: string,
  deps: AppointmentDeps,
): Promise<Appointment | undefined> {
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  const recorded = await deps.appointments.findBookingKey(patient.userId, key, nowSeconds);
  if (!recorded) return undefined;
  if (recorded.requestHash !== requestHash) {
    throw new UnprocessableEntity(
      'This Idempotency-Key was already used for a different booking. Send a new key for a new booking.',
      'idempotency_key_reused',
    );
  }
  return deps.appointments.get(recorded.appointmentId);
}

/**
 * Books a slot: the appointment, its doctor and patient time claims and the idempotency key go in
 * one transaction, so two bookings that overlap for a doctor or a patient cannot both succeed, and
 * a retried request (same key, same body) gets the first request's appointment back — also when the
 * retry arrives while the first is still in flight and so finds the slot taken by itself.
 */
export async function bookAppointment(
  patient: Identity,
  input: BookAppointmentRequest,
  deps: AppointmentDeps,
  idempotencyKey?: string,
): Promise<Appointment> {
  await enforceRateLimit(
    `booking:${patient.userId}`,
    { count: deps.policy.bookingsPerMinute, periodSeconds: 60 },
    deps,
  );
  if (!idempotencyKey) return createBooking(patient, input, deps);
  const requestHash = bookingRequestHash(input);
  const earlier = await replayBooking(patient, idempotencyKey, requestHash, deps);
  if (earlier) return earlier;
  try {
    return await createBooking(patient, input, deps, { key: idempotencyKey, requestHash });
  } catch (err) {
    if (!(err instanceof BookingKeyTaken || err instanceof Conflict)) throw err;
    const first = await replayBooking(patient, idempotencyKey, requestHash, deps);
    if (first) return first;
    throw err instanceof BookingKeyTaken ? refusal(new WriteContention()) : err;
  }
}

/** Statuses of an appointment still ahead of the patient, counted by the upcoming limit. */
const UPCOMING_STATUSES: readonly AppointmentStatus[] = ['booked', 'checked_in'];

/**
 * One account cannot hoard a doctor's calendar. Checked before the write, so two bookings racing
 * at the limit may both pass; the limit is against abuse, not an invariant the store must hold.
 */
async function checkUpcomingLimit(patientId: string, deps: AppointmentDeps) {
  const max = deps.policy.maxUpcomingAppointments;
  const now = deps.clock.now().getTime();
  const upcoming = await allPages((cursor) =>
    deps.appointments.listForPatient(patientId, {
      // Appointments last at most 2 hours: one that started earlier may still be ahead of its end.
      from: new Date(now - 2 * 60 * MINUTE).toISOString(),
      statuses: UPCOMING_STATUSES,
      cursor,
      limit: 100,
      order: 'asc',
    }),
  );
  if (upcoming.filter((a) => Date.parse(a.end) > now).length >= max) {
    throw new Conflict(
      `You already have ${max} upcoming appointments. Cancel one or wait until one has taken place before booking another.`,
      'too_many_upcoming',
    );
  }
}

async function createBooking(
  patient: Identity,
  input: BookAppointmentRequest,
  deps: AppointmentDeps,
  idempotency?: { key: string; requestHash: string },
): Promise<Appointment> {
  const doctor = await requireDoctor(input.doctorId, deps);
  const patientProfile = await deps.profiles.get(patient.userId);
  if (!patientProfile || patientProfile.deletedAt) throw new NotFound('No profile exists for this account');
  await checkUpcomingLimit(patient.userId, deps);
  const start = Date.parse(input.start);
  const availability = await checkSlot(doctor.userId, start, deps);
  const end = start + availability.slotMinutes * MINUTE;
  const now = deps.clock.now();
  const appointment: Appointment = {
    appointmentId: randomUUID(),
    doctorId: doctor.userId,
    patientId: patient.userId,
    doctorName: doctor.name,
    doctorSpecialty: doctor.specialty,
    patientName: patientProfile.name,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    status: 'booked',
    reason: input.reason,
    patientTimeZone: input.timeZone,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
  const bookingKey = idempotency && {
    patientId: patient.userId,
    key: idempotency.key,
    requestHash: idempotency.requestHash,
    appointmentId: appointment.appointmentId,
    expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_KEY_HOURS * 3600,
  };
  try {
    await deps.appointments.create(appointment, claimsOf(appointment), bookingKey);
  } catch (err) {
    throw err instanceof BookingKeyTaken ? err : refusal(err);
  }
  await deps.appointments.linkDoctorPatient({
    doctorId: doctor.userId,
    patientId: patient.userId,
    patientName: patientProfile.name,
    firstBookedAt: appointment.createdAt,
    lastAppointmentStart: appointment.start,
  });
  await recordChange(BOOKING, patient, appointment, deps, appointment);
  return appointment;
}

/** Pushes the new state to both participants' open dashboards; never fails the change. */
export async function pushAppointment(
  event: string,
  appointment: Appointment,
  deps: Pick<AppointmentDeps, 'realtime' | 'log'>,
) {
  const frame = { type: 'appointment' as const, event, appointment };
  try {
    await Promise.all([
      deps.realtime.toUser(appointment.doctorId, frame),
      deps.realtime.toUser(appointment.patientId, frame),
    ]);
  } catch (err) {
    deps.log.warn('push failed', {
      appointmentId: appointment.appointmentId,
      errorName: (err as Error).name,
    });
  }
}

/** Changes within this long of their time are pushed to the doctor as a notice. */
export const SHORT_NOTICE_HOURS = 24;

/**
 * Tells the doctor about a booking, move or cancellation that someone else made and that touches
 * the next SHORT_NOTICE_HOURS (a move counts if its old or new time does); never fails the change.
 */
async function noticeDoctor(
  kind: BookingChange,
  appointment: Appointment,
  actorId: string,
  previousStart: string,
  deps: AppointmentDeps,
) {
  if (actorId === appointment.doctorId) return;
  const now = deps.clock.now().getTime();
  const soon = (iso: string) => Date.parse(iso) - now < SHORT_NOTICE_HOURS * 3_600_000;
  if (!soon(appointment.start) && !soon(previousStart)) return;
  try {
    await deps.realtime.toUser(appointment.doctorId, {
      type: 'booking.notice',
      event: kind,
      appointment,
      ...(kind === 'rescheduled' ? { previousStart } : {}),
    });
  } catch (err) {
    deps.log.warn('push failed', {
      appointmentId: appointment.appointmentId,
      errorName: (err as Error).name,
    });
  }
}

type BookingChange = 'booked' | 'cancelled' | 'rescheduled';

/** Side effects that must never undo or fail the change itself. */
async function afterChange(kind: BookingChange, appointment: Appointment, deps: AppointmentDeps) {
  await pushAppointment(kind, appointment, deps);
  const remindAt = new Date(Date.parse(appointment.start) - deps.policy.reminderMinutesBefore * MINUTE);
  try {
    if (kind === 'cancelled') await deps.reminders.cancel(appointment.appointmentId);
    else {
      if (remindAt.getTime() > deps.clock.now().getTime())
        await deps.reminders.schedule(appointment.appointmentId, remindAt);
      // The no-show rescue's check at the start moves with the visit (core/rescue.ts).
      await deps.reminders.schedule(appointment.appointmentId, new Date(appointment.start), 'visit-start');
    }
  } catch (err) {
    deps.log.warn('reminder scheduling failed', {
      appointmentId: appointment.appointmentId,
      errorName: (err as Error).name,
    });
  }
  await notifyPatient(kind, appointment, deps);
}

// ---- Reading ------------------------------------------------------------------------------------

/** Only the appointment's own doctor and patient see it; to anyone else it does not exist. */
export async function getOwnAppointment(
  identity: Pick<Identity, 'userId'>,
  appointmentId: string,
  deps: Pick<AppointmentDeps, 'appointments'>,
) {
  const appointment = await deps.appointments.get(appointmentId);
  if (
    !appointment ||
    (appointment.patientId !== identity.userId && appointment.doctorId !== identity.userId)
  ) {
    throw new NotFound('Appointment not found');
  }
  return appointment;
}

/** The appointment, for something only its doctor may do (`why` says what, for the 403). */
export async function getDoctorsAppointment(
  doctor: Pick<Identity, 'userId'>,
  appointmentId: string,
  deps: Pick<AppointmentDeps, 'appointments'>,
  why: string,
) {
  const appointment = await getOwnAppointment(doctor, appointmentId, deps);
  if (appointment.doctorId !== doctor.userId) throw new Forbidden(`Only the appointment’s doctor ${why}`);
  return appointment;
}

export async function listMyAppointments(identity: Identity, options: ListOptions, deps: AppointmentDeps) {
  if (options.from && options.to && options.from > options.to) {
    throw new BadRequest('`to` must not be before `from`', { to: 'Must not be before from' });
  }
  if (identity.role === 'doctor') return deps.appointments.listForDoctor(identity.userId, options);
  if (identity.role !== 'patient') throw new Forbidden('Only doctors and patients have appointments');
  const page = await deps.appointments.listForPatient(identity.userId, options);
  // Patients see until when they may still cancel or reschedule online.
  const cutoff = deps.policy.changeCutoffMinutes * MINUTE;
  return {
    ...page,
    items: page.items.map((a) => ({
      ...a,
      changeableUntil: new Date(Date.parse(a.start) - cutoff).toISOString(),
    })),
  };
}

// ---- Lifecycle ----------------------------------------------------------------------------------

function illegal(appointment: Appointment, action: string): never {
  throw new Conflict(
    `A ${appointment.status.replace('_', ' ')} appointment cannot be ${action}`,
    'illegal_transition',
  );
}

/**
 * Applies a change if nobody changed the appointment meanwhile, moving its time claims in the same
 * transaction. With `idempotent`, a change that someone already made (a double click, a second tab)
 * returns the appointment instead of a 409.
 */
export async function transition(
  appointment: Appointment,
  changes: Partial<Appointment> & Record<string, unknown>,
  deps: Pick<AppointmentDeps, 'appointments' | 'clock'>,
  options: { idempotent?: boolean; claims?: ClaimChanges } = {},
) {
  try {
    return await deps.appointments.update(
      appointment,
      { ...changes, updatedAt: deps.clock.now().toISOString() },
      options.claims,
    );
  } catch (err) {
    if (err instanceof StaleWrite && options.idempotent && changes.status) {
      const current = await deps.appointments.get(appointment.appointmentId);
      if (current?.status === changes.status) return current;
    }
    throw refusal(err);
  }
}

/** Leaving the active statuses frees the appointment's time for doctor and patient. */
const releaseAll = (appointment: Appointment): ClaimChanges => ({
  add: [],
  remove: claimsOf(appointment),
});

/**
 * Audit, live push and (for booking, cancelling, moving) reminder, text and the doctor's notice,
 * once a change is written; `before` is the appointment as it was.
 */
async function recordChange(
  record: LifecycleRecord,
  actor: Pick<Identity, 'userId'>,
  appointment: Appointment,
  deps: AppointmentDeps,
  before: Appointment,
) {
  await deps.audit.record({
    action: record.audit,
    actorId: actor.userId,
    patientId: appointment.patientId,
    targetId: appointment.appointmentId,
  });
  if (record.endsCall) {
    const ended = { type: 'call.ended' as const, appointmentId: appointment.appointmentId };
    await Promise.all([
      deps.realtime.toUser(appointment.doctorId, ended),
      deps.realtime.toUser(appointment.patientId, ended),
    ]);
  }
  if (record.notify) {
    await afterChange(record.notify, appointment, deps);
    await noticeDoctor(record.notify, appointment, actor.userId, before.start, deps);
  } else await pushAppointment(record.event, appointment, deps);
}

/** What a command adds to the lifecycle table's rules. */
export interface ChangeStep {
  /**
   * Runs once the caller and the status allow the command: its own rules (time rules, the room
   * window) and anything that must happen first; returns the fields and claim changes it writes.
   */
  prepare?: (
    appointment: Appointment,
  ) => Promise<{ changes?: Record<string, unknown>; claims?: ClaimChanges } | void>;
  /** Runs once the change is written, before it is recorded and told. */
  written?: (changed: Appointment) => Promise<void>;
}

/**
 * Runs one lifecycle command: only the appointment's participants see it (404 otherwise), only the
 * party the command names may run it (403), it returns the appointment unchanged where it has already
 * happened, refuses other statuses (409), then writes status, fields and claims in one transaction,
 * records it in the audit trail and tells both participants.
 */
export async function changeAppointment(
  actor: Pick<Identity, 'userId'>,
  appointmentId: string,
  command: LifecycleCommand,
  deps: AppointmentDeps,
  step: ChangeStep = {},
): Promise<Appointment> {
  const appointment = await getOwnAppointment(actor, appointmentId, deps);
  const party =
    command.by === 'doctor'
      ? appointment.doctorId
      : command.by === 'patient'
        ? appointment.patientId
        : actor.userId;
  if (party !== actor.userId) throw new Forbidden(command.refusal);
  if (command.already?.includes(appointment.status)) return appointment;
  if (!command.from.includes(appointment.status)) {
    if ('verb' in command.illegal) illegal(appointment, command.illegal.verb);
    throw new Conflict(command.illegal.message, 'illegal_transition');
  }
  const prepared = (await step.prepare?.(appointment)) ?? {};
  const changed = await transition(
    appointment,
    { ...(command.to ? { status: command.to } : {}), ...prepared.changes },
    deps,
    {
      idempotent: command.already !== undefined,
      claims: prepared.claims ?? (command.releasesTime ? releaseAll(appointment) : undefined),
    },
  );
  await step.written?.(changed);
  if (command.to && VISIT_OVER.includes(command.to)) await revokeVisitPasses(appointmentId, deps);
  await recordChange(command, actor, changed, deps, appointment);
  return changed;
}

function assertPatientMayChange(
  identity: Identity,
  appointment: Appointment,
  deps: AppointmentDeps,
  action: string,
) {
  if (identity.role !== 'patient') return;
  const cutoff = Date.parse(appointment.start) - deps.policy.changeCutoffMinutes * MINUTE;
  if (deps.clock.now().getTime() > cutoff) {
    throw new Conflict(
      `Appointments can be ${action} online until ${duration(deps.policy.changeCutoffMinutes)} before the start. ${contactThePractice()}`,
      'past_cutoff',
    );
  }
}

/** A time rule: the command is possible only once the appointment has started. */
function assertStarted(appointment: Appointment, deps: AppointmentDeps, message: string) {
  if (Date.parse(appointment.start) > deps.clock.now().getTime()) {
    throw new Conflict(message, 'illegal_transition');
  }
}

export async function cancelAppointment(
  identity: Identity,
  appointmentId: string,
  reason: string,
  deps: AppointmentDeps,
  /** A patient deleting their account is not coming: the online cut-off does not hold them. */
  { closingAccount = false } = {},
) {
  return changeAppointment(identity, appointmentId, LIFECYCLE.cancel, deps, {
    prepare: async (appointment) => {
      if (Date.parse(appointment.start) <= deps.clock.now().getTime()) {
        throw new Conflict('This appointment has already started.', 'illegal_transition');
      }
      if (!closingAccount) assertPatientMayChange(identity, appointment, deps, 'cancelled');
      return {
        changes: {
          cancelledBy: identity.role === 'doctor' ? 'doctor' : 'patient',
          cancelReason: reason,
        },
      };
    },
  });
}

/** One transaction moves the appointment and its claims; if the new time is taken nothing changes. */
export async function rescheduleAppointment(
  identity: Identity,
  appointmentId: string,
  newStartIso: string,
  deps: AppointmentDeps,
) {
  return changeAppointment(identity, appointmentId, LIFECYCLE.reschedule, deps, {
    prepare: async (appointment) => {
      assertPatientMayChange(identity, appointment, deps, 'rescheduled');
      const start = Date.parse(newStartIso);
      if (start === Date.parse(appointment.start))
        throw new Conflict('The appointment is already at that time.', 'same_slot');
      const availability = await checkSlot(appointment.doctorId, start, deps, {
        ignore: appointmentId,
        moving: true,
      });
      const time = {
        start: new Date(start).toISOString(),
        end: new Date(start + availability.slotMinutes * MINUTE).toISOString(),
      };
      return {
        changes: time,
        claims: claimChanges(claimsOf(appointment), claimsOf({ ...appointment, ...time })),
      };
    },
    written: (moved) =>
      deps.appointments.linkDoctorPatient({
        doctorId: moved.doctorId,
        patientId: moved.patientId,
        patientName: moved.patientName,
        firstBookedAt: moved.createdAt,
        lastAppointmentStart: moved.start,
      }),
  });
}

export async function completeAppointment(doctor: Identity, appointmentId: string, deps: AppointmentDeps) {
  return changeAppointment(doctor, appointmentId, LIFECYCLE.complete, deps, {
    prepare: async (appointment) =>
      assertStarted(appointment, deps, 'An appointment cannot be completed before it starts.'),
  });
}

export async function markNoShow(doctor: Identity, appointmentId: string, deps: AppointmentDeps) {
  return changeAppointment(doctor, appointmentId, LIFECYCLE.markNoShow, deps, {
    prepare: async (appointment) => {
      assertStarted(appointment, deps, 'A patient can be marked as no-show only after the start time.');
      assertNoShowAllowed(appointment, deps);
    },
    written: (changed) => recordNoShow(changed, deps),
  });
}

// ---- Patients and notes -------------------------------------------------------------------------

export async function listMyPatients(
  doctor: Identity,
  cursor: string | undefined,
  limit: number,
  deps: AppointmentDeps,
) {
  return deps.appointments.listDoctorPatients(doctor.userId, cursor, limit);
}

/** A doctor sees a patient only if the patient has or had an appointment with them. */
async function myPatientLink(doctor: Identity, patientId: string, deps: AppointmentDeps) {
  const link = await deps.appointments.getDoctorPatient(doctor.userId, patientId);
  if (!link) throw new NotFound('Patient not found among your patients');
  return link;
}

/** The patient's summary: two reads whatever the length of their history. */
export async function getPatientDetails(
  doctor: Identity,
  patientId: string,
  deps: AppointmentDeps,
): Promise<PatientDetails> {
  const link = await myPatientLink(doctor, patientId, deps);
  const profile = await deps.profiles.get(patientId);
  if (!profile) throw new NotFound('Patient not found among your patients');
  return {
    patient: {
      userId: profile.userId,
      name: profile.name,
      email: profile.email,
      phone: profile.phone,
      dateOfBirth: profile.dateOfBirth,
    },
    firstBookedAt: link.firstBookedAt,
    lastAppointmentStart: link.lastAppointmentStart,
  };
}

/**
 * One page of the patient's visits with the calling doctor, newest first, each with its notes: one
 * query for the page and one batch read for all its notes.
 */
export async function listPatientVisits(
  doctor: Identity,
  patientId: string,
  cursor: string | undefined,
  limit: number,
  deps: AppointmentDeps,
): Promise<Page<PatientVisit>> {
  await myPatientLink(doctor, patientId, deps);
  const page = await deps.appointments.listForPatient(patientId, {
    doctorId: doctor.userId,
    cursor,
    limit,
    order: 'desc',
  });
  const notes = page.items.length
    ? await deps.appointments.getNotesOf(page.items.map((a) => a.appointmentId))
    : new Map<string, VisitNotes>();
  return {
    items: page.items.map((a) => {
      const visitNotes = notes.get(a.appointmentId);
      return visitNotes ? { ...a, notes: visitNotes } : a;
    }),
    nextCursor: page.nextCursor,
  };
}

export async function saveVisitNotes(
  doctor: Identity,
  appointmentId: string,
  input: VisitNotesRequest,
  deps: AppointmentDeps,
) {
  const appointment = await getDoctorsAppointment(doctor, appointmentId, deps, 'writes its notes');
  if (appointment.status === 'cancelled') illegal(appointment, 'given visit notes');
  const notes: VisitNotes = { appointmentId, ...input, updatedAt: deps.clock.now().toISOString() };
  await deps.appointments.putNotes({
    ...notes,
    doctorId: appointment.doctorId,
    patientId: appointment.patientId,
  });
  await deps.audit.record({
    action: 'notes.saved',
    actorId: doctor.userId,
    patientId: appointment.patientId,
    targetId: appointmentId,
  });
  return notes;
}

/** What of a visit's notes the patient may read: the summary, once the doctor shared it; never the notes. */
export function patientsView(notes: VisitNotes | undefined): VisitNotes | undefined {
  if (!notes?.summaryShared) return undefined;
  const { appointmentId, summary, updatedAt } = notes;
  return { appointmentId, summary, summaryShared: true, updatedAt };
}

/**
 * The doctor reads everything; the patient only a summary the doctor has shared. With the
 * appointment they belong to, whose patient the read is audited for.
 */
export async function readVisitNotes(identity: Identity, appointmentId: string, deps: AppointmentDeps) {
  const appointment = await getOwnAppointment(identity, appointmentId, deps);
  const notes = await deps.appointments.getNotes(appointmentId);
  if (identity.userId === appointment.doctorId) {
    if (!notes) throw new NotFound('No notes yet', 'no_notes');
    return { notes, appointment };
  }
  const shared = patientsView(notes);
  if (!shared) throw new NotFound('No shared summary for this visit', 'no_summary');
  return { notes: shared, appointment };
}
