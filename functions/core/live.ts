import { randomUUID } from 'node:crypto';
import { recordCheckIn } from './rescue';
import type { Appointment } from '../../shared/appointments';
import {
  callTokenExpiry,
  CHECK_IN_OPENS_MINUTES,
  roomWindow,
  TELEHEALTH_CONSENT_VERSION,
  type CallParticipant,
  type ChatMessage,
  type DeviceCheck,
  type JoinInfo,
  type LeaveReason,
  type ServerFrame,
  type SignalData,
  type WaitingPatient,
} from '../../shared/live';
import { Conflict, Forbidden, NotFound } from './errors';
import type { Identity } from './identity';
import {
  changeAppointment,
  getDoctorsAppointment,
  getOwnAppointment,
  type AppointmentDeps,
} from './appointments';
import { LIFECYCLE } from './lifecycle';
import { publicState, type GuestRepository } from './guests';
import type { ErrorLog } from './notifications';
import {
  RecordingUnavailable,
  VideoProviderError,
  type BusinessMetrics,
  type ChatRepository,
  type ConnectionDirectory,
  type ConsentRepository,
  type VideoProvider,
} from './ports';

export interface LiveDeps extends AppointmentDeps {
  /** The visit's guest (./guests.ts): in the waiting room, and a seat in the call once admitted. */
  guests: GuestRepository;
  connections: ConnectionDirectory;
  consents: ConsentRepository;
  chat: ChatRepository;
  video: VideoProvider;
  log: ErrorLog;
  metrics: BusinessMetrics;
}

/**
 * Who calls: a signed-in user, or a visit-pass holder, whose identity (from the WebSocket
 * authorizer) is scoped to one appointment. Guests take part in the call of that appointment only.
 */
type CallCaller = Pick<Identity, 'userId'> & { role: Identity['role'] | 'guest'; appointmentId?: string };
type Participant = Pick<Identity, 'userId' | 'role'>;

const MINUTE = 60_000;

function assertRoomOpen(appointment: Appointment, now: number) {
  const { opensAt, closesAt } = roomWindow(appointment);
  if (now < opensAt) {
    throw new Forbidden(
      `The waiting room opens ${CHECK_IN_OPENS_MINUTES} minutes before the appointment.`,
      'room_not_open',
    );
  }
  if (now >= closesAt) throw new Forbidden('This appointment’s room has closed.', 'room_closed');
}

const notParticipant = () =>
  new Forbidden('You are not a participant of this appointment', 'not_participant');

/** For WebSocket actions: outsiders get a 403 error frame, never data. Guests have no part here. */
async function callParticipant(caller: CallCaller, appointmentId: string, deps: LiveDeps) {
  if (caller.role === 'guest') throw notParticipant();
  if (caller.appointmentId !== undefined && caller.appointmentId !== appointmentId) throw notParticipant();
  try {
    return await getOwnAppointment(caller, appointmentId, deps);
  } catch (err) {
    if (err instanceof NotFound) throw notParticipant();
    throw err;
  }
}

// ---- Seats in the call ----------------------------------------------------------------------------

const doctorSeat = (a: Appointment): CallParticipant => ({
  id: a.doctorId,
  role: 'doctor',
  displayName: a.doctorName,
});
const patientSeat = (a: Appointment): CallParticipant => ({
  id: a.patientId,
  role: 'patient',
  displayName: a.patientName,
});

/** Everyone who may be in the call: its doctor, its patient, and its guest once the doctor admitted them. */
async function callRoster(appointment: Appointment, deps: LiveDeps): Promise<CallParticipant[]> {
  const guest = await deps.guests.get(appointment.appointmentId);
  return [
    doctorSeat(appointment),
    patientSeat(appointment),
    ...(guest?.admittedAt ? [{ id: guest.guestId, role: 'guest' as const, displayName: guest.name }] : []),
  ];
}

/** The seat of `id` in the call; the guest list is read only when it is not the doctor or patient. */
async function seatOf(appointment: Appointment, id: string, deps: LiveDeps) {
  if (id === appointment.doctorId) return doctorSeat(appointment);
  if (id === appointment.patientId) return patientSeat(appointment);
  return (await callRoster(appointment, deps)).find((p) => p.id === id);
}

/**
 * The caller's seat in the call of `appointmentId`: the doctor and patient by the appointment, a
 * guest only for the appointment its pass is for and only once admitted. Anyone else gets a 403.
 */
async function callSeat(caller: CallCaller, appointmentId: string, deps: LiveDeps) {
  let appointment: Appointment | undefined;
  if (caller.role === 'guest') {
    if (caller.appointmentId !== appointmentId) throw notParticipant();
    appointment = await deps.appointments.get(appointmentId);
  } else appointment = await callParticipant(caller, appointmentId, deps);
  const me = appointment && (await seatOf(appointment, caller.userId, deps));
  if (!appointment || !me) throw notParticipant();
  return { appointment, me };
}

/** Sends `frame` to the call connections of everyone in the call but `me`. */
async function toOthers(
  appointment: Appointment,
  me: CallParticipant,
  frame: ServerFrame,
  deps: LiveDeps,
  roster?: CallParticipant[],
) {
  const everyone = roster ?? (await callRoster(appointment, deps));
  await Promise.all(
    everyone
      .filter((p) => p.id !== me.id)
      .map((p) => deps.realtime.toUser(p.id, frame, appointment.appointmentId)),
  );
}

const otherParty = (appointment: Appointment, caller: { userId: string }) =>
  caller.userId === appointment.doctorId ? appointment.patientId : appointment.doctorId;
const roleIn = (appointment: Appointment, caller: { userId: string }): 'doctor' | 'patient' =>
  caller.userId === appointment.doctorId ? 'doctor' : 'patient';

async function recordTelehealthConsent(
  appointment: Appointment,
  who: Pick<Identity, 'userId' | 'role'>,
  version: string,
  deps: LiveDeps,
) {
  await deps.consents.record({
    appointmentId: appointment.appointmentId,
    userId: who.userId,
    role: who.role,
    kind: 'telehealth',
    value: true,
    version,
    at: deps.clock.now().toISOString(),
  });
}

// ---- Waiting room -------------------------------------------------------------------------------

export async function checkIn(
  patient: Pick<Identity, 'userId' | 'role'>,
  appointmentId: string,
  input: { consentVersion: string; deviceCheck: DeviceCheck },
  deps: LiveDeps,
) {
  return changeAppointment(patient, appointmentId, LIFECYCLE.checkIn, deps, {
    prepare: async (appointment) => {
      assertRoomOpen(appointment, deps.clock.now().getTime());
      await recordTelehealthConsent(appointment, patient, input.consentVersion, deps);
      const d = input.deviceCheck;
      return {
        changes: {
          checkedInAt: deps.clock.now().toISOString(),
          deviceCheckPassed: d.camera && d.microphone && d.speaker && d.browserSupported,
        },
      };
    },
    written: (changed) => recordCheckIn(changed, deps),
  });
}

/** Today's checked-in patients of the calling doctor, longest waiting first. */
export async function waitingRoom(doctor: Participant, deps: LiveDeps): Promise<WaitingPatient[]> {
  const now = deps.clock.now().getTime();
  const page = await deps.appointments.listForDoctor(doctor.userId, {
    from: new Date(now - 3 * 60 * MINUTE).toISOString(),
    to: new Date(now + (CHECK_IN_OPENS_MINUTES + 1) * MINUTE).toISOString(),
    statuses: ['checked_in'],
    limit: 100,
    order: 'asc',
  });
  const items = await Promise.all(
    page.items.map(async (a) => {
      const extra = a as Appointment & { checkedInAt?: string; deviceCheckPassed?: boolean };
      const [sockets, guest] = await Promise.all([
        deps.connections.listForUser(a.patientId),
        deps.guests.get(a.appointmentId),
      ]);
      return {
        ...(guest ? { guest: publicState(guest) } : {}),
        appointmentId: a.appointmentId,
        patientId: a.patientId,
        patientName: a.patientName,
        start: a.start,
        checkedInAt: extra.checkedInAt ?? a.updatedAt,
        deviceCheckPassed: extra.deviceCheckPassed ?? false,
        present: sockets.some((c) => c.callAppointmentId === a.appointmentId),
      };
    }),
  );
  return items.sort((x, y) => x.checkedInAt.localeCompare(y.checkedInAt));
}

export async function admitPatient(
  doctor: Pick<Identity, 'userId' | 'role'>,
  appointmentId: string,
  consentVersion: string,
  deps: LiveDeps,
) {
  return changeAppointment(doctor, appointmentId, LIFECYCLE.admit, deps, {
    prepare: async (appointment) => {
      assertRoomOpen(appointment, deps.clock.now().getTime());
      await recordTelehealthConsent(appointment, doctor, consentVersion, deps);
      return { changes: { admittedAt: deps.clock.now().toISOString() } };
    },
  });
}

export async function announceRunningLate(
  doctor: Participant,
  appointmentId: string,
  minutes: number,
  deps: LiveDeps,
) {
  const appointment = await getDoctorsAppointment(doctor, appointmentId, deps, 'can say this');
  if (!['booked', 'checked_in'].includes(appointment.status))
    throw new Conflict('The visit has already started or ended', 'illegal_transition');
  await deps.realtime.toUser(appointment.patientId, { type: 'running_late', appointmentId, minutes });
  return { appointmentId, minutes };
}

// ---- The call -----------------------------------------------------------------------------------

export async function joinCall(caller: CallCaller, appointmentId: string, deps: LiveDeps): Promise<JoinInfo> {
  const { appointment, me } = await callSeat(caller, appointmentId, deps);
  assertRoomOpen(appointment, deps.clock.now().getTime());
  if (appointment.status !== 'in_progress') {
    throw new Forbidden(
      'The doctor has not admitted you yet. Please wait in the waiting room.',
      'not_admitted',
    );
  }
  const expiresAt = callTokenExpiry(appointment, deps.clock.now().getTime());
  // A room re-created (after its empty timeout, or after a failed withdrawal completed it) records
  // exactly when the consents say so now.
  const recording = deps.video.recordingAvailable && (await recordingState(appointmentId, deps)).active;
  const info = await deps.video.join(appointment, { userId: me.id, role: me.role }, expiresAt, recording);
  await deps.audit.record({
    action: 'call.joined',
    actorId: caller.userId,
    patientId: appointment.patientId,
    targetId: appointmentId,
  });
  return info;
}

export async function endVisit(doctor: Participant, appointmentId: string, deps: LiveDeps) {
  return changeAppointment(doctor, appointmentId, LIFECYCLE.endVisit, deps, {
    prepare: async () => ({ changes: { endedAt: deps.clock.now().toISOString() } }),
    written: (completed) =>
      deps.video
        .end(completed)
        .catch((err: Error) =>
          deps.log.warn('video room not completed', { appointmentId, errorName: err.name }),
        ),
  });
}

/** Each party's latest answer; recording runs only while both have agreed (and neither withdrew). */
async function recordingState(appointmentId: string, deps: LiveDeps) {
  const consents = await deps.consents.list(appointmentId, 'recording');
  const byRole: Record<string, boolean> = Object.fromEntries(consents.map((c) => [c.role, c.value]));
  return { active: byRole.doctor === true && byRole.patient === true, consents: byRole };
}

const unavailable = () => new Conflict('Recording is not available for this visit.', 'recording_unavailable');

export async function setRecordingConsent(
  caller: Participant,
  appointmentId: string,
  consent: boolean,
  deps: LiveDeps,
) {
  const appointment = await getOwnAppointment(caller, appointmentId, deps);
  if (!deps.video.recordingAvailable) throw unavailable();
  if (appointment.status !== 'in_progress')
    throw new Conflict('Recording can only be agreed during the call', 'illegal_transition');
  await deps.consents.record({
    appointmentId,
    userId: caller.userId,
    role: roleIn(appointment, caller),
    kind: 'recording',
    value: consent,
    version: TELEHEALTH_CONSENT_VERSION,
    at: deps.clock.now().toISOString(),
  });
  const { active, consents: byRole } = await recordingState(appointmentId, deps);
  if (active) {
    try {
      await deps.video.setRecording(appointment, true);
    } catch (err) {
      if (err instanceof RecordingUnavailable) {
        deps.log.warn('recording refused: the provider’s storage is not safe', { appointmentId });
        throw unavailable();
      }
      throw err;
    }
  } else if (!consent) {
    // A withdrawal always reaches the provider, whatever we believe was running.
    await stopRecording(appointment, deps);
  }
  const frame = { type: 'recording' as const, appointmentId, active, consents: byRole };
  await Promise.all([
    deps.realtime.toUser(appointment.doctorId, frame),
    deps.realtime.toUser(appointment.patientId, frame),
  ]);
  return { active, consents: byRole };
}

/**
 * A withdrawal must stop the recording. When the provider cannot be told (after its own retries),
 * the room is completed instead, so nothing more is recorded; the participants rejoin a fresh room
 * that records nothing. An error log with the provider's code and `RecordingStopFailed` (alarmed)
 * say so.
 */
async function stopRecording(appointment: Appointment, deps: LiveDeps) {
  try {
    await deps.video.setRecording(appointment, false);
  } catch (err) {
    deps.log.error('recording could not be stopped: completing the room', {
      appointmentId: appointment.appointmentId,
      errorName: (err as Error).name,
      ...(err instanceof VideoProviderError ? { status: err.status, twilioCode: err.code } : {}),
    });
    deps.metrics.count('RecordingStopFailed');
    await deps.video.end(appointment);
  }
}

// ---- WebSocket actions --------------------------------------------------------------------------

function assertLive(appointment: Appointment, deps: LiveDeps) {
  if (appointment.status !== 'in_progress')
    throw new Forbidden('This visit is not in progress', 'not_in_call');
  assertRoomOpen(appointment, deps.clock.now().getTime());
}

export async function joinCallChannel(
  caller: CallCaller,
  connectionId: string,
  appointmentId: string,
  deps: LiveDeps,
) {
  const { appointment, me } = await callSeat(caller, appointmentId, deps);
  assertLive(appointment, deps);
  await deps.connections.setCall(connectionId, appointmentId);
  const roster = await callRoster(appointment, deps);
  await toOthers(
    appointment,
    me,
    { type: 'peer', appointmentId, event: 'joined', role: me.role, participant: me },
    deps,
    roster,
  );
  // Who is here already: those with a connection in this call.
  const others = roster.filter((p) => p.id !== me.id);
  const here = await Promise.all(
    others.map(async (p) =>
      (await deps.connections.listForUser(p.id)).some((c) => c.callAppointmentId === appointmentId),
    ),
  );
  await deps.realtime.toConnection(connectionId, {
    type: 'call.joined',
    appointmentId,
    you: me,
    participants: others.filter((_, i) => here[i]),
  });
}

/** A deliberate leave (the Leave button, or the tab closing) tells the others why. */
export async function leaveCallChannel(
  caller: CallCaller,
  connectionId: string,
  appointmentId: string,
  deps: LiveDeps,
  reason: Exclude<LeaveReason, 'disconnected'> = 'left',
) {
  const { appointment, me } = await callSeat(caller, appointmentId, deps);
  await deps.connections.setCall(connectionId, undefined);
  await toOthers(
    appointment,
    me,
    { type: 'peer', appointmentId, event: 'left', role: me.role, participant: me, reason },
    deps,
  );
}

/**
 * Offer, answer and ICE candidates go to the call connections of the one participant they are
 * addressed to, and only between seats of this call (an admitted guest included).
 */
export async function relaySignal(
  caller: CallCaller,
  appointmentId: string,
  to: string,
  data: SignalData,
  deps: LiveDeps,
) {
  const { appointment, me } = await callSeat(caller, appointmentId, deps);
  assertLive(appointment, deps);
  const target = to === me.id ? undefined : await seatOf(appointment, to, deps);
  if (!target) throw new Forbidden('Signals go to another participant of this call', 'not_participant');
  await deps.realtime.toUser(target.id, { type: 'signal', appointmentId, from: me.id, data }, appointmentId);
}

export async function relayMediaState(
  caller: CallCaller,
  appointmentId: string,
  state: { audio: boolean; video: boolean; screen: boolean },
  deps: LiveDeps,
) {
  const { appointment, me } = await callSeat(caller, appointmentId, deps);
  assertLive(appointment, deps);
  await toOthers(appointment, me, { type: 'media', appointmentId, from: me.id, ...state }, deps);
}

/**
 * The checked-in patient's waiting-room page says it is open (on open and on every reconnect) or
 * closed. Its socket is registered with the appointment, so a drop is reported too; the doctor's
 * dashboard (not in any call) is told directly.
 */
export async function announceWaiting(
  caller: CallCaller,
  connectionId: string,
  appointmentId: string,
  present: boolean,
  deps: LiveDeps,
) {
  const appointment = await callParticipant(caller, appointmentId, deps);
  if (roleIn(appointment, caller) !== 'patient')
    throw new Forbidden('Only the patient is in the waiting room', 'not_patient');
  // Once admitted, the same socket belongs to the call: a late "closed" must not take it out.
  if (appointment.status !== 'checked_in') return;
  await deps.connections.setCall(connectionId, present ? appointmentId : undefined);
  await deps.realtime.toUser(appointment.doctorId, {
    type: 'waiting',
    appointmentId,
    present,
    ...(present ? {} : { reason: 'closed' as const }),
  });
}

/**
 * When a connection drops, the others in its call learn that this participant left — unless the
 * same user is still in the call from another connection (a rotated or reconnected socket).
 */
export async function connectionClosed(connectionId: string, deps: LiveDeps) {
  const record = await deps.connections.get(connectionId);
  await deps.connections.remove(connectionId);
  if (!record?.callAppointmentId) return;
  const stillThere = (await deps.connections.listForUser(record.userId)).some(
    (c) => c.connectionId !== connectionId && c.callAppointmentId === record.callAppointmentId,
  );
  if (stillThere) return;
  const appointment = await deps.appointments.get(record.callAppointmentId);
  if (!appointment) return;
  if (appointment.status === 'checked_in' && record.userId === appointment.patientId) {
    await deps.realtime.toUser(appointment.doctorId, {
      type: 'waiting',
      appointmentId: appointment.appointmentId,
      present: false,
      reason: 'disconnected',
    });
    return;
  }
  const roster = await callRoster(appointment, deps);
  const me = roster.find((p) => p.id === record.userId);
  if (!me) return;
  await toOthers(
    appointment,
    me,
    {
      type: 'peer',
      appointmentId: appointment.appointmentId,
      event: 'left',
      role: me.role,
      participant: me,
      // Without a call.leave first, the socket dropped: a network loss as far as anyone can tell.
      reason: 'disconnected',
    },
    deps,
    roster,
  );
}

// ---- Chat ---------------------------------------------------------------------------------------

const CHAT_STATUSES = new Set(['checked_in', 'in_progress']);

/**
 * Stores the message once (a resend with the same clientMessageId is acknowledged with the stored
 * copy and not delivered again), acknowledges it to the sending connection, and delivers it to the
 * other participant and the sender's other devices.
 */
export async function sendChat(
  caller: CallCaller,
  connectionId: string,
  input: { appointmentId: string; clientMessageId: string; text: string },
  deps: LiveDeps,
) {
  const appointment = await callParticipant(caller, input.appointmentId, deps);
  if (!CHAT_STATUSES.has(appointment.status))
    throw new Forbidden('Chat is open in the waiting room and during the visit', 'chat_closed');
  assertRoomOpen(appointment, deps.clock.now().getTime());
  const candidate: ChatMessage = {
    messageId: randomUUID(),
    appointmentId: input.appointmentId,
    clientMessageId: input.clientMessageId,
    senderId: caller.userId,
    senderRole: roleIn(appointment, caller),
    text: input.text,
    sentAt: deps.clock.now().toISOString(),
  };
  const { message, duplicate } = await deps.chat.append(candidate);
  if (message.senderId !== caller.userId)
    throw new Conflict('That message id is already used', 'duplicate_id');
  const ack = deps.realtime.toConnection(connectionId, {
    type: 'chat.ack',
    clientMessageId: message.clientMessageId,
    message,
  });
  // Stored: the acknowledgement and the deliveries go out together, none waits for another.
  await Promise.all([
    ack,
    ...(duplicate
      ? []
      : [
          deps.realtime.toUser(otherParty(appointment, caller), { type: 'chat.message', message }),
          deps.realtime.toUser(caller.userId, { type: 'chat.message', message }),
        ]),
  ]);
  return message;
}

/** The transcript, oldest first, for the appointment's two participants only. */
export async function chatTranscript(
  caller: CallCaller,
  appointmentId: string,
  cursor: string | undefined,
  limit: number,
  deps: LiveDeps,
) {
  const appointment = await callParticipant(caller, appointmentId, deps);
  return { page: await deps.chat.list(appointmentId, cursor, limit), appointment };
}

/**
 * A read receipt: the caller has seen the other participant's messages up to `messageId`. It goes
 * to the other participant only (in the waiting room as in the call); nothing is stored.
 */
export async function markChatRead(
  caller: CallCaller,
  appointmentId: string,
  messageId: string,
  deps: LiveDeps,
) {
  const appointment = await callParticipant(caller, appointmentId, deps);
  if (!CHAT_STATUSES.has(appointment.status))
    throw new Forbidden('Chat is open in the waiting room and during the visit', 'chat_closed');
  await deps.realtime.toUser(otherParty(appointment, caller), {
    type: 'chat.read',
    appointmentId,
    messageId,
    readerRole: roleIn(appointment, caller),
    readAt: deps.clock.now().toISOString(),
  });
}
