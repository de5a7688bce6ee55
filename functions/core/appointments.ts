import { randomUUID } from 'node:crypto';
import {
  allPages,
  type Appointment,
  type AppointmentStatus,
  type Availability,
  type BookAppointmentRequest,
  type VisitNotes,
  type VisitNotesRequest,
} from '../../shared/appointments';
import { BadRequest, Conflict, Forbidden, NotFound } from '../lib/errors';
import type { Identity } from '../lib/identity';
import { gridBuckets, openSlots, slotProblem, type Interval } from './slots';
import {
  StaleWrite,
  type AppointmentRepository,
  type AuditLog,
  type Clock,
  type ListOptions,
  type ProfileRepository,
  type Realtime,
  type ReminderScheduler,
  type TimeLocks,
} from './ports';
import { notifyPatient, type NotificationDeps } from './notifications';

export interface AppointmentPolicy {
  /** Patients may cancel or reschedule until this many minutes before the start. */
  changeCutoffMinutes: number;
  reminderMinutesBefore: number;
}

export interface AppointmentDeps extends NotificationDeps {
  appointments: AppointmentRepository;
  locks: TimeLocks;
  profiles: ProfileRepository;
  reminders: ReminderScheduler;
  /** Live updates to the doctor's and the patient's open dashboards. */
  realtime: Realtime;
  audit: AuditLog;
  clock: Clock;
  policy: AppointmentPolicy;
}

const MINUTE = 60_000;
/** A lock whose appointment never appeared after this long belongs to a crashed request. */
const ORPHAN_LOCK_MS = 60_000;
/** Statuses that occupy the doctor's and the patient's time. */
export const ACTIVE_STATUSES: readonly AppointmentStatus[] = [
  'booked',
  'checked_in',
  'in_progress',
  'completed',
];
const MAX_SLOT_QUERY_DAYS = 62;

const doctorOwner = (id: string) => `doctor:${id}`;
const patientOwner = (id: string) => `patient:${id}`;

const SLOT_MESSAGES = {
  past: 'That time has already passed. Choose a later slot.',
  outside_availability: 'The doctor does not offer an appointment at that time.',
  beyond_horizon: 'Appointments can be booked at most 8 weeks ahead.',
  taken: 'That slot has just been taken. Choose another one.',
} as const;

function intervalOf(a: Pick<Appointment, 'start' | 'end'>): Interval {
  return { start: Date.parse(a.start), end: Date.parse(a.end) };
}

/** Time taken by the doctor's active appointments around [from, to), except `ignore`. */
async function busyTime(
  doctorId: string,
  from: number,
  to: number,
  deps: AppointmentDeps,
  ignore?: string,
): Promise<Interval[]> {
  const booked = await allPages((cursor) =>
    deps.appointments.listForDoctor(doctorId, {
      // Appointments last at most 2 hours; start a little early to catch ones running into the range.
      from: new Date(from - 2 * 60 * MINUTE).toISOString(),
      to: new Date(to).toISOString(),
      statuses: ACTIVE_STATUSES,
      cursor,
      limit: 100,
      order: 'asc',
    }),
  );
  return booked.filter((a) => a.appointmentId !== ignore).map(intervalOf);
}

async function requireDoctor(doctorId: string, deps: AppointmentDeps) {
  const doctor = await deps.profiles.get(doctorId);
  if (!doctor || doctor.role !== 'doctor') throw new NotFound('No such doctor');
  return doctor;
}

// ---- Availability -------------------------------------------------------------------------------

export async function setAvailability(doctor: Identity, availability: Availability, deps: AppointmentDeps) {
  await deps.appointments.putAvailability(doctor.userId, availability);
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

export async function findOpenSlots(doctorId: string, fromIso: string, toIso: string, deps: AppointmentDeps) {
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  if (!(to > from)) throw new BadRequest('`to` must be after `from`', { to: 'Must be after from' });
  if (to - from > MAX_SLOT_QUERY_DAYS * 86_400_000) {
    throw new BadRequest(`Ask for at most ${MAX_SLOT_QUERY_DAYS} days at a time`, { to: 'Range too long' });
  }
  await requireDoctor(doctorId, deps);
  const availability = await deps.appointments.getAvailability(doctorId);
  if (!availability) return [];
  const now = deps.clock.now().getTime();
  return openSlots({ availability, from, to, now, busy: await busyTime(doctorId, from, to, deps) });
}

// ---- Time locks ---------------------------------------------------------------------------------

/** Whether a lock's appointment still occupies that bucket; if not, the lock may be taken over. */
async function lockIsLive(
  ownerId: string,
  bucket: string,
  heldBy: string,
  lockedAt: string,
  deps: AppointmentDeps,
) {
  // A young lock may belong to a booking or reschedule still in flight (its appointment not yet
  // written or not yet moved): it is live whatever its holder currently says.
  if (deps.clock.now().getTime() - Date.parse(lockedAt) < ORPHAN_LOCK_MS) return true;
  const holder = await deps.appointments.get(heldBy);
  if (!holder || !ACTIVE_STATUSES.includes(holder.status)) return false;
  const owner = ownerId.startsWith('doctor:') ? doctorOwner(holder.doctorId) : patientOwner(holder.patientId);
  return owner === ownerId && gridBuckets(intervalOf(holder)).includes(bucket);
}

/**
 * Takes every grid bucket of `interval` for each owner in order (ascending buckets, doctor first), so
 * two racing requests collide on their first shared bucket and exactly one proceeds. On a conflict
 * the buckets taken so far are released and the conflicting owner is returned.
 */
async function lockTime(
  owners: string[],
  interval: Interval,
  appointmentId: string,
  deps: AppointmentDeps,
): Promise<string | undefined> {
  const buckets = gridBuckets(interval);
  const taken: [string, string][] = [];
  const now = deps.clock.now().toISOString();
  for (const owner of owners) {
    for (const bucket of buckets) {
      const result = await deps.locks.tryLock(owner, bucket, appointmentId, now);
      if (result.acquired) {
        taken.push([owner, bucket]);
        continue;
      }
      if (result.heldBy === appointmentId) continue;
      if (
        !(await lockIsLive(owner, bucket, result.heldBy, result.lockedAt, deps)) &&
        (await deps.locks.takeOver(owner, bucket, result.heldBy, appointmentId, now))
      ) {
        taken.push([owner, bucket]);
        continue;
      }
      await Promise.all(taken.map(([o, b]) => deps.locks.release(o, b, appointmentId)));
      return owner;
    }
  }
  return undefined;
}

async function releaseTime(
  owners: string[],
  interval: Interval,
  appointmentId: string,
  deps: AppointmentDeps,
  keep?: Interval,
) {
  const kept = new Set(keep ? gridBuckets(keep) : []);
  const buckets = gridBuckets(interval).filter((b) => !kept.has(b));
  await Promise.all(owners.flatMap((o) => buckets.map((b) => deps.locks.release(o, b, appointmentId))));
}

// ---- Booking ------------------------------------------------------------------------------------

async function checkSlot(doctorId: string, start: number, deps: AppointmentDeps, ignore?: string) {
  const availability = await deps.appointments.getAvailability(doctorId);
  if (!availability) throw new Conflict(SLOT_MESSAGES.outside_availability, 'outside_availability');
  const busy = await busyTime(doctorId, start, start + 2 * 60 * MINUTE, deps, ignore);
  const problem = slotProblem({ availability, start, now: deps.clock.now().getTime(), busy });
  if (problem) throw new Conflict(SLOT_MESSAGES[problem], `slot_${problem}`);
  return availability;
}

export async function bookAppointment(
  patient: Identity,
  input: BookAppointmentRequest,
  deps: AppointmentDeps,
): Promise<Appointment> {
  const doctor = await requireDoctor(input.doctorId, deps);
  const patientProfile = await deps.profiles.get(patient.userId);
  if (!patientProfile) throw new NotFound('No profile exists for this account');
  const start = Date.parse(input.start);
  const availability = await checkSlot(doctor.userId, start, deps);
  const interval = { start, end: start + availability.slotMinutes * MINUTE };
  const appointmentId = randomUUID();

  const conflict = await lockTime(
    [doctorOwner(doctor.userId), patientOwner(patient.userId)],
    interval,
    appointmentId,
    deps,
  );
  if (conflict?.startsWith('doctor:')) throw new Conflict(SLOT_MESSAGES.taken, 'slot_taken');
  if (conflict) throw new Conflict('You already have an appointment at that time.', 'patient_overlap');

  const now = deps.clock.now().toISOString();
  const appointment: Appointment = {
    appointmentId,
    doctorId: doctor.userId,
    patientId: patient.userId,
    doctorName: doctor.name,
    doctorSpecialty: doctor.specialty,
    patientName: patientProfile.name,
    start: new Date(interval.start).toISOString(),
    end: new Date(interval.end).toISOString(),
    status: 'booked',
    reason: input.reason,
    patientTimeZone: input.timeZone,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.appointments.create(appointment);
  } catch (err) {
    await releaseTime(
      [doctorOwner(doctor.userId), patientOwner(patient.userId)],
      interval,
      appointmentId,
      deps,
    );
    throw err;
  }
  await deps.appointments.linkDoctorPatient({
    doctorId: doctor.userId,
    patientId: patient.userId,
    patientName: patientProfile.name,
    firstBookedAt: now,
    lastAppointmentStart: appointment.start,
  });
  await deps.audit.record({ action: 'appointment.booked', actorId: patient.userId, targetId: appointmentId });
  await afterChange('booked', appointment, deps);
  return appointment;
}

/** Pushes the new state to both participants' open dashboards; never fails the change. */
export async function pushAppointment(event: string, appointment: Appointment, deps: AppointmentDeps) {
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

/** Side effects that must never undo or fail the change itself. */
async function afterChange(
  kind: 'booked' | 'cancelled' | 'rescheduled',
  appointment: Appointment,
  deps: AppointmentDeps,
) {
  await pushAppointment(kind, appointment, deps);
  const remindAt = new Date(Date.parse(appointment.start) - deps.policy.reminderMinutesBefore * MINUTE);
  try {
    if (kind === 'cancelled') await deps.reminders.cancel(appointment.appointmentId);
    else if (remindAt.getTime() > deps.clock.now().getTime())
      await deps.reminders.schedule(appointment.appointmentId, remindAt);
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
 * Applies a change if nobody changed the appointment meanwhile. With `idempotent`, a change that
 * someone already made (a double click, a second tab) returns the appointment instead of a 409.
 */
export async function transition(
  appointment: Appointment,
  changes: Partial<Appointment> & Record<string, unknown>,
  deps: Pick<AppointmentDeps, 'appointments' | 'clock'>,
  options: { idempotent?: boolean } = {},
) {
  try {
    return await deps.appointments.update(appointment, {
      ...changes,
      updatedAt: deps.clock.now().toISOString(),
    });
  } catch (err) {
    if (!(err instanceof StaleWrite)) throw err;
    if (options.idempotent && changes.status) {
      const current = await deps.appointments.get(appointment.appointmentId);
      if (current?.status === changes.status) return current;
    }
    throw new Conflict('The appointment changed meanwhile. Reload and try again.', 'stale');
  }
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
    const hours = deps.policy.changeCutoffMinutes / 60;
    throw new Conflict(
      `Appointments can be ${action} online until ${hours} hour${hours === 1 ? '' : 's'} before the start. Please contact the practice.`,
      'past_cutoff',
    );
  }
}

export async function cancelAppointment(
  identity: Identity,
  appointmentId: string,
  reason: string,
  deps: AppointmentDeps,
) {
  const appointment = await getOwnAppointment(identity, appointmentId, deps);
  if (appointment.status !== 'booked') illegal(appointment, 'cancelled');
  if (Date.parse(appointment.start) <= deps.clock.now().getTime()) {
    throw new Conflict('This appointment has already started.', 'illegal_transition');
  }
  assertPatientMayChange(identity, appointment, deps, 'cancelled');
  const cancelled = await transition(
    appointment,
    {
      status: 'cancelled',
      cancelledBy: identity.role === 'doctor' ? 'doctor' : 'patient',
      cancelReason: reason,
    },
    deps,
  );
  await releaseTime(
    [doctorOwner(appointment.doctorId), patientOwner(appointment.patientId)],
    intervalOf(appointment),
    appointmentId,
    deps,
  );
  await deps.audit.record({
    action: 'appointment.cancelled',
    actorId: identity.userId,
    targetId: appointmentId,
  });
  await afterChange('cancelled', cancelled, deps);
  return cancelled;
}

/** The new slot is taken first, then the old one freed; if the new one is taken nothing changes. */
export async function rescheduleAppointment(
  identity: Identity,
  appointmentId: string,
  newStartIso: string,
  deps: AppointmentDeps,
) {
  const appointment = await getOwnAppointment(identity, appointmentId, deps);
  if (identity.userId !== appointment.patientId) throw new Forbidden('Only the patient can reschedule');
  if (appointment.status !== 'booked') illegal(appointment, 'rescheduled');
  assertPatientMayChange(identity, appointment, deps, 'rescheduled');
  const start = Date.parse(newStartIso);
  if (start === Date.parse(appointment.start))
    throw new Conflict('The appointment is already at that time.', 'same_slot');
  const availability = await checkSlot(appointment.doctorId, start, deps, appointmentId);
  const next = { start, end: start + availability.slotMinutes * MINUTE };
  const owners = [doctorOwner(appointment.doctorId), patientOwner(appointment.patientId)];
  const conflict = await lockTime(owners, next, appointmentId, deps);
  if (conflict?.startsWith('doctor:')) throw new Conflict(SLOT_MESSAGES.taken, 'slot_taken');
  if (conflict) throw new Conflict('You already have an appointment at that time.', 'patient_overlap');
  let moved: Appointment;
  try {
    moved = await transition(
      appointment,
      { start: new Date(next.start).toISOString(), end: new Date(next.end).toISOString() },
      deps,
    );
  } catch (err) {
    await releaseTime(owners, next, appointmentId, deps, intervalOf(appointment));
    throw err;
  }
  await releaseTime(owners, intervalOf(appointment), appointmentId, deps, next);
  await deps.appointments.linkDoctorPatient({
    doctorId: moved.doctorId,
    patientId: moved.patientId,
    patientName: moved.patientName,
    firstBookedAt: moved.createdAt,
    lastAppointmentStart: moved.start,
  });
  await deps.audit.record({
    action: 'appointment.rescheduled',
    actorId: identity.userId,
    targetId: appointmentId,
  });
  await afterChange('rescheduled', moved, deps);
  return moved;
}

export async function completeAppointment(doctor: Identity, appointmentId: string, deps: AppointmentDeps) {
  const appointment = await getDoctorsAppointment(doctor, appointmentId, deps, 'can complete it');
  if (!['booked', 'checked_in', 'in_progress'].includes(appointment.status))
    illegal(appointment, 'completed');
  if (Date.parse(appointment.start) > deps.clock.now().getTime()) {
    throw new Conflict('An appointment cannot be completed before it starts.', 'illegal_transition');
  }
  const done = await transition(appointment, { status: 'completed' }, deps);
  await deps.audit.record({
    action: 'appointment.completed',
    actorId: doctor.userId,
    targetId: appointmentId,
  });
  await pushAppointment('completed', done, deps);
  return done;
}

export async function markNoShow(doctor: Identity, appointmentId: string, deps: AppointmentDeps) {
  const appointment = await getDoctorsAppointment(doctor, appointmentId, deps, 'can do this');
  if (appointment.status !== 'booked' && appointment.status !== 'checked_in')
    illegal(appointment, 'marked as no-show');
  if (Date.parse(appointment.start) > deps.clock.now().getTime()) {
    throw new Conflict('A patient can be marked as no-show only after the start time.', 'illegal_transition');
  }
  const marked = await transition(appointment, { status: 'no_show' }, deps);
  await releaseTime(
    [doctorOwner(appointment.doctorId), patientOwner(appointment.patientId)],
    intervalOf(appointment),
    appointmentId,
    deps,
  );
  await deps.audit.record({ action: 'appointment.no_show', actorId: doctor.userId, targetId: appointmentId });
  await pushAppointment('no_show', marked, deps);
  return marked;
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
export async function getPatientDetails(doctor: Identity, patientId: string, deps: AppointmentDeps) {
  const link = await deps.appointments.getDoctorPatient(doctor.userId, patientId);
  const profile = link ? await deps.profiles.get(patientId) : undefined;
  if (!link || !profile) throw new NotFound('Patient not found among your patients');
  const visits = await allPages((cursor) =>
    deps.appointments.listForPatient(patientId, { cursor, limit: 100, order: 'desc' }),
  );
  const withThisDoctor = visits.filter((a) => a.doctorId === doctor.userId);
  const appointments = await Promise.all(
    withThisDoctor.map(async (a) => ({ ...a, notes: await deps.appointments.getNotes(a.appointmentId) })),
  );
  await deps.audit.record({ action: 'patient.viewed', actorId: doctor.userId, targetId: patientId });
  return {
    patient: {
      userId: profile.userId,
      name: profile.name,
      email: profile.email,
      phone: profile.phone,
      dateOfBirth: profile.dateOfBirth,
    },
    appointments,
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
  await deps.audit.record({ action: 'notes.saved', actorId: doctor.userId, targetId: appointmentId });
  return notes;
}

/** The doctor reads everything; the patient only a summary the doctor has shared. */
export async function readVisitNotes(identity: Identity, appointmentId: string, deps: AppointmentDeps) {
  const appointment = await getOwnAppointment(identity, appointmentId, deps);
  const notes = await deps.appointments.getNotes(appointmentId);
  if (identity.userId === appointment.doctorId) {
    if (!notes) throw new NotFound('No notes yet', 'no_notes');
    return notes;
  }
  if (!notes?.summaryShared) throw new NotFound('No shared summary for this visit', 'no_summary');
  return { appointmentId, summary: notes.summary, summaryShared: true, updatedAt: notes.updatedAt };
}
