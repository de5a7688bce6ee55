/**
 * Guest seats: one guest per visit (an interpreter, a family member, a carer), invited by the
 * patient or the visit's doctor, who joins through a visit pass (./visit-passes.ts) without an
 * account. The guest sees the visit's time and doctor, never the patient's record, history or chat.
 */
import type { Appointment } from '../../shared/appointments';
import { callTokenExpiry, roomWindow, type DeviceCheck, type JoinInfo } from '../../shared/live';
import { PASS_LINK_PATH, type GuestState, type GuestVisit, type VisitFacts } from '../../shared/visit-pass';
import { getOwnAppointment, pushAppointment } from './appointments';
import { Conflict, Forbidden, NotFound } from './errors';
import type { Identity } from './identity';
import type { Log } from './notifications';
import type { AppointmentRepository, AuditLog, Clock, Realtime, TextQueue, VideoProvider } from './ports';
import { enforceRateLimit, type RateLimitDeps } from './rate-limits';
import { issuePass, redeemPass, type VisitPassDeps, type VisitSession } from './visit-passes';

/** Link redemptions one address may try per minute (a link is 256 random bits: this only curbs noise). */
const PASS_REDEEM_LIMIT = { count: 20, periodSeconds: 60 };

/** A guest as stored with the visit (APPT#<id> / GUEST): their phone never leaves the server. */
export interface StoredGuest extends GuestState {
  appointmentId: string;
  phone: string;
  /** The invitation's number: a re-invitation's text is a new text (TextRequest.version). */
  invitation: number;
}

export interface GuestRepository {
  get(appointmentId: string): Promise<StoredGuest | undefined>;
  /** Replaces the visit's guest. */
  put(guest: StoredGuest): Promise<void>;
  /** Applies `changes` only while `guestId` is still the visit's guest (else undefined). */
  update(
    appointmentId: string,
    guestId: string,
    changes: Partial<GuestState>,
  ): Promise<StoredGuest | undefined>;
  delete(appointmentId: string): Promise<void>;
}

export interface GuestDeps extends VisitPassDeps {
  appointments: AppointmentRepository;
  guests: GuestRepository;
  texts: TextQueue;
  audit: AuditLog;
  clock: Clock;
  /** The doctor's queue and the patient's card follow the guest (never pushed to the guest). */
  realtime: Realtime;
  log: Log;
}

type Caller = Pick<Identity, 'userId' | 'role'>;

/** Statuses in which a guest may still be invited, check in or be admitted. */
const OPEN_STATUSES: readonly Appointment['status'][] = ['booked', 'checked_in', 'in_progress'];

export function assertOpen(appointment: Appointment) {
  if (!OPEN_STATUSES.includes(appointment.status)) {
    throw new Conflict('This visit has ended: guests can no longer join it.', 'visit_ended');
  }
}

export const publicState = (guest: StoredGuest): GuestState => ({
  guestId: guest.guestId,
  name: guest.name,
  relation: guest.relation,
  invitedAt: guest.invitedAt,
  invitedBy: guest.invitedBy,
  ...(guest.patientConsentAt ? { patientConsentAt: guest.patientConsentAt } : {}),
  ...(guest.checkedInAt ? { checkedInAt: guest.checkedInAt } : {}),
  ...(guest.deviceCheckPassed !== undefined ? { deviceCheckPassed: guest.deviceCheckPassed } : {}),
  ...(guest.admittedAt ? { admittedAt: guest.admittedAt } : {}),
});

/** Records a guest action and tells the visit's doctor and patient (their pages refetch the guest). */
export async function audit(
  action: string,
  actor: { userId: string; role?: Identity['role'] },
  appointment: Appointment,
  deps: GuestDeps,
) {
  await deps.audit.record({
    action,
    actorId: actor.userId,
    ...(actor.role ? { actorRole: actor.role } : {}),
    patientId: appointment.patientId,
    targetId: appointment.appointmentId,
  });
  await pushAppointment(action, appointment, deps);
}

export async function removeGuest(caller: Caller, appointmentId: string, deps: GuestDeps): Promise<void> {
  const appointment = await getOwnAppointment(caller, appointmentId, deps);
  const guest = await deps.guests.get(appointmentId);
  if (!guest) return;
  await deps.visitPasses.revoke(appointmentId, guest.guestId);
  await deps.guests.delete(appointmentId);
  await audit('guest.removed', caller, appointment, deps);
}

/** The visit's guest, for its patient and doctor (undefined: none invited). */
export async function guestOfVisit(caller: Caller, appointmentId: string, deps: GuestDeps) {
  const appointment = await getOwnAppointment(caller, appointmentId, deps);
  const guest = await deps.guests.get(appointmentId);
  return { appointment, guest: guest && publicState(guest) };
}

/** The patient agrees to the guest the doctor invited (recorded with the visit: who, when, which guest). */
export async function consentToGuest(caller: Caller, appointmentId: string, deps: GuestDeps) {
  const appointment = await getOwnAppointment(caller, appointmentId, deps);
  if (appointment.patientId !== caller.userId) {
    throw new Forbidden('Only the patient can agree to a guest', 'not_patient');
  }
  assertOpen(appointment);
  const guest = await deps.guests.get(appointmentId);
  if (!guest) throw new NotFound('This visit has no guest', 'no_guest');
  if (guest.patientConsentAt) return publicState(guest);
  const updated = await deps.guests.update(appointmentId, guest.guestId, {
    patientConsentAt: deps.clock.now().toISOString(),
  });
  if (!updated) throw new Conflict('The guest changed: look again', 'guest_changed');
  await audit('guest.consented', caller, appointment, deps);
  return publicState(updated);
}

/** The doctor admits a checked-in guest the patient agreed to. */
export async function admitGuest(caller: Caller, appointmentId: string, deps: GuestDeps) {
  const appointment = await getOwnAppointment(caller, appointmentId, deps);
  if (appointment.doctorId !== caller.userId) {
    throw new Forbidden('Only the appointment’s doctor can admit a guest');
  }
  assertOpen(appointment);
  const guest = await deps.guests.get(appointmentId);
  if (!guest) throw new NotFound('This visit has no guest', 'no_guest');
  if (!guest.patientConsentAt) {
    throw new Conflict('The patient has not agreed to this guest yet', 'guest_consent_missing');
  }
  if (!guest.checkedInAt) throw new Conflict('The guest has not checked in yet', 'guest_not_checked_in');
  if (guest.admittedAt) return publicState(guest);
  const updated = await deps.guests.update(appointmentId, guest.guestId, {
    admittedAt: deps.clock.now().toISOString(),
  });
  if (!updated) throw new Conflict('The guest changed: look again', 'guest_changed');
  await audit('guest.admitted', caller, appointment, deps);
  return publicState(updated);
}

// ---- The guest's own side (a visit session, holder `guest`) ------------------------------------

/** The session's guest and visit; a replaced or removed guest's session is refused. */
async function sessionGuest(session: VisitSession, deps: GuestDeps) {
  const [appointment, guest] = await Promise.all([
    deps.appointments.get(session.appointmentId),
    deps.guests.get(session.appointmentId),
  ]);
  if (!appointment || !guest || guest.guestId !== session.holderId) {
    throw new Forbidden('This invitation is no longer valid', 'guest_removed');
  }
  return { appointment, guest };
}

export function visitFacts(
  appointment: Appointment,
  holder: VisitFacts['holder'],
  guest?: StoredGuest,
): VisitFacts {
  return {
    appointmentId: appointment.appointmentId,
    doctorName: appointment.doctorName,
    start: appointment.start,
    end: appointment.end,
    holder,
    ...(guest ? { guestName: guest.name } : {}),
  };
}

/** What a redeemed guest pass opens onto: undefined when the guest was replaced or the visit ended. */
export async function describeGuestPass(
  pass: { appointmentId: string; holderId: string },
  deps: Pick<GuestDeps, 'appointments' | 'guests'>,
): Promise<VisitFacts | undefined> {
  const [appointment, guest] = await Promise.all([
    deps.appointments.get(pass.appointmentId),
    deps.guests.get(pass.appointmentId),
  ]);
  if (!appointment || !guest || guest.guestId !== pass.holderId) return undefined;
  if (!OPEN_STATUSES.includes(appointment.status)) return undefined;
  return visitFacts(appointment, 'guest', guest);
}

export async function guestVisit(session: VisitSession, deps: GuestDeps): Promise<GuestVisit> {
  const { appointment, guest } = await sessionGuest(session, deps);
  return {
    visit: visitFacts(appointment, 'guest', guest),
    callOpen: appointment.status === 'in_progress',
    checkedIn: !!guest.checkedInAt,
    admitted: !!guest.admittedAt,
    patientConsented: !!guest.patientConsentAt,
  };
}

export async function guestCheckIn(
  session: VisitSession,
  input: { name: string; consentVersion: string; deviceCheck: DeviceCheck },
  deps: GuestDeps,
): Promise<GuestVisit> {
  const { appointment, guest } = await sessionGuest(session, deps);
  assertOpen(appointment);
  const now = deps.clock.now();
  if (now.getTime() < roomWindow(appointment).opensAt) {
    throw new Forbidden('The waiting room opens 15 minutes before the appointment.', 'room_not_open');
  }
  const d = input.deviceCheck;
  const updated = await deps.guests.update(appointment.appointmentId, guest.guestId, {
    name: input.name,
    checkedInAt: now.toISOString(),
    deviceCheckPassed: d.camera && d.microphone && d.speaker && d.browserSupported,
  });
  if (!updated) throw new Forbidden('This invitation is no longer valid', 'guest_removed');
  await audit('guest.checked_in', { userId: guest.guestId }, appointment, deps);
  return guestVisit(session, deps);
}

/** The video grant for an admitted guest: the same room, their own identity (the guest id). */
export async function guestJoinCall(
  session: VisitSession,
  deps: GuestDeps & { video: VideoProvider },
): Promise<JoinInfo> {
  const { appointment, guest } = await sessionGuest(session, deps);
  if (!guest.admittedAt || appointment.status !== 'in_progress') {
    throw new Forbidden(
      'The doctor has not admitted you yet. Please wait in the waiting room.',
      'not_admitted',
    );
  }
  const now = deps.clock.now().getTime();
  if (now >= roomWindow(appointment).closesAt) {
    throw new Forbidden('This appointment’s room has closed.', 'room_closed');
  }
  const info = await deps.video.join(
    appointment,
    { userId: guest.guestId, role: 'guest' },
    callTokenExpiry(appointment, now),
    false,
  );
  await audit('guest.call_joined', { userId: guest.guestId }, appointment, deps);
  return info;
}

/** A guest's invitation text: minted when it is sent, so the link's token is never stored or queued. */
export async function guestInvitationText(
  appointmentId: string,
  guestId: string,
  deps: GuestDeps & { practiceName: string; webOrigin: string },
): Promise<{ to: string; body: () => Promise<string> } | undefined> {
  const [appointment, guest] = await Promise.all([
    deps.appointments.get(appointmentId),
    deps.guests.get(appointmentId),
  ]);
  if (!appointment || !guest || guest.guestId !== guestId || !OPEN_STATUSES.includes(appointment.status)) {
    return undefined;
  }
  return {
    to: guest.phone,
    body: async () => {
      const token = await issuePass(
        appointment,
        { kind: 'guest', id: guest.guestId },
        guest.invitedBy === 'patient' ? appointment.patientId : appointment.doctorId,
        deps,
      );
      return `${deps.practiceName}: you are invited to join a video visit with ${appointment.doctorName}. Join here: ${deps.webOrigin}${PASS_LINK_PATH}#${token}`;
    },
  };
}

/** Redeems a visit link (rate-limited per address, like the other public routes). */
export async function redeemVisitLink(
  token: string,
  clientIp: string | undefined,
  deps: GuestDeps & RateLimitDeps,
  requestId?: string,
) {
  await enforceRateLimit(`pass:${clientIp ?? 'unknown'}`, PASS_REDEEM_LIMIT, deps);
  return redeemPass(
    token,
    deps,
    async (pass) => {
      if (pass.holder === 'guest') return describeGuestPass(pass, deps);
      const appointment = await deps.appointments.get(pass.appointmentId);
      return appointment && OPEN_STATUSES.includes(appointment.status)
        ? visitFacts(appointment, 'patient')
        : undefined;
    },
    requestId,
  );
}
