import * as v from 'valibot';
import type { GuestState } from './visit-pass';
import type { RescueState } from './rescue';
import type { Appointment } from './appointments';
import { PingFrame } from './schemas';

/** Versioned telehealth consent text; a participant's consent is stored with this version. */
export const TELEHEALTH_CONSENT_VERSION = '2026-11-01';
export const TELEHEALTH_CONSENT_TEXT =
  'I agree to receive care by video. I understand that video care has limits, that I can stop at any time, ' +
  'that the visit is not recorded unless both of us agree during the call, and that in an emergency I should ' +
  'call my local emergency number.';
/** The same terms, in the doctor's words, confirmed before admitting a patient. */
export const TELEHEALTH_CONSENT_TEXT_DOCTOR =
  'I will see this patient by video. I will explain the limits of video care, stop and arrange an in-person ' +
  'visit if video is not safe for them, record only if we both agree during the call, and direct them to ' +
  'emergency services if they need them.';

/** Check-in opens this many minutes before the start; the room closes at the slot's end (or later while in progress). */
export const CHECK_IN_OPENS_MINUTES = 15;
export const OVERRUN_MINUTES = 60;

/** From 15 minutes before the start until the end of the slot (an hour longer once the visit runs). */
export function roomWindow(appointment: Pick<Appointment, 'start' | 'end' | 'status'>) {
  const opensAt = Date.parse(appointment.start) - CHECK_IN_OPENS_MINUTES * 60_000;
  const end = Date.parse(appointment.end);
  const closesAt = appointment.status === 'in_progress' ? end + OVERRUN_MINUTES * 60_000 : end;
  return { opensAt, closesAt };
}

/** A call token outlives the room's close by this margin, so a reconnect in the last minutes still works. */
export const CALL_TOKEN_MARGIN_MINUTES = 15;
/** No call token (Twilio Video access token, TURN credentials) lives longer than this. */
export const MAX_CALL_TOKEN_SECONDS = 4 * 3600;

/**
 * When a call token minted at `now` expires: the room's close plus a margin, capped at four hours,
 * so a visit that overruns (and reconnects after a network blip) never meets an expired token.
 */
export function callTokenExpiry(appointment: Pick<Appointment, 'start' | 'end' | 'status'>, now: number) {
  const { closesAt } = roomWindow(appointment);
  return new Date(
    Math.min(closesAt + CALL_TOKEN_MARGIN_MINUTES * 60_000, now + MAX_CALL_TOKEN_SECONDS * 1000),
  );
}

export const MAX_FRAME_BYTES = 32 * 1024;
export const MAX_CHAT_LENGTH = 2000;
/**
 * Per-connection frame budget: at most `frames` rate-limited frames in each fixed window of
 * `windowSeconds` (counted in leases of up to 8 frames, one counter write per lease, no read;
 * functions/core/frame-budget.ts; across a window boundary a connection can send up to twice
 * `frames` in a short time). A clean call start is about a dozen frames per side
 * (join, restart, offer or answer, two or three candidate batches, media state); the budget leaves
 * room for an ICE restart with many candidates on top, and clients pace themselves well below it.
 * `ping` is not counted: it touches no table (its answer is the route's own response).
 */
export const RATE_LIMIT = { frames: 80, windowSeconds: 5 } as const;
/** Candidates gathered within this window travel in one signal frame. */
export const MAX_CANDIDATES_PER_FRAME = 32;

const ClientMessageId = v.pipe(
  v.string(),
  v.regex(/^[\w-]{8,64}$/, 'clientMessageId must be 8-64 letters, digits, - or _'),
);

const AppointmentId = v.pipe(v.string('appointmentId is required'), v.nonEmpty(), v.maxLength(64));

export const DeviceCheck = v.strictObject({
  camera: v.boolean(),
  microphone: v.boolean(),
  speaker: v.boolean(),
  browserSupported: v.boolean(),
});
export type DeviceCheck = v.InferOutput<typeof DeviceCheck>;

export const ConsentBody = v.strictObject({
  consentVersion: v.literal(TELEHEALTH_CONSENT_VERSION, 'Please accept the current consent text'),
});

export const CheckInRequest = v.strictObject({
  consentVersion: v.literal(TELEHEALTH_CONSENT_VERSION, 'Please accept the current consent text'),
  deviceCheck: DeviceCheck,
});

export const RunningLateRequest = v.strictObject({
  minutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(120)),
});

export const RecordingConsentRequest = v.strictObject({ consent: v.boolean() });

export const MessagesQuery = v.strictObject({
  cursor: v.optional(v.pipe(v.string(), v.maxLength(2048))),
  limit: v.pipe(
    v.optional(v.string(), '50'),
    v.regex(/^\d{1,3}$/, 'limit must be a whole number'),
    v.transform(Number),
    v.minValue(1),
    v.maxValue(200),
  ),
});

// ---- WebSocket frames (client → server) ---------------------------------------------------------

export const JoinCallFrame = v.strictObject({ action: v.literal('call.join'), appointmentId: AppointmentId });
/** Why a participant is gone: the Leave button, the tab closing, or (server-side) the socket dropping. */
export type LeaveReason = 'left' | 'closed' | 'disconnected';
export const LeaveCallFrame = v.strictObject({
  action: v.literal('call.leave'),
  appointmentId: AppointmentId,
  reason: v.optional(v.picklist(['left', 'closed'])),
});

const IceCandidate = v.record(v.string(), v.union([v.string(), v.number(), v.null()]));

/** WebRTC offer/answer/candidates, relayed as-is to the addressed participant only. */
export const SignalFrame = v.strictObject({
  action: v.literal('signal'),
  appointmentId: AppointmentId,
  /** The participant (user or guest id) this signal is for; the server relays it to them only. */
  to: v.pipe(v.string('to is required'), v.nonEmpty(), v.maxLength(64)),
  /** Names the frame in an error frame (e.g. `rate_limited`) so the sender can send it again. */
  clientMessageId: v.optional(ClientMessageId),
  data: v.strictObject({
    kind: v.picklist(['offer', 'answer', 'candidate', 'candidates', 'restart']),
    /** Which peer-connection incarnation this belongs to; stale ones are ignored. */
    session: v.optional(v.pipe(v.string(), v.maxLength(64))),
    /** For an answer: the session of the offer it answers. */
    target: v.optional(v.pipe(v.string(), v.maxLength(64))),
    sdp: v.optional(v.pipe(v.string(), v.maxLength(30_000))),
    candidate: v.optional(IceCandidate),
    /** kind "candidates": a batch gathered together, in order. */
    candidates: v.optional(v.pipe(v.array(IceCandidate), v.maxLength(MAX_CANDIDATES_PER_FRAME))),
  }),
});

export const MediaStateFrame = v.strictObject({
  action: v.literal('media'),
  appointmentId: AppointmentId,
  audio: v.boolean(),
  video: v.boolean(),
  screen: v.boolean(),
});

export const ChatSendFrame = v.strictObject({
  action: v.literal('chat.send'),
  appointmentId: AppointmentId,
  clientMessageId: ClientMessageId,
  text: v.pipe(v.string(), v.trim(), v.nonEmpty('Empty message'), v.maxLength(MAX_CHAT_LENGTH)),
});

/** The reader has seen the other participant's messages up to and including this one. */
export const ChatReadFrame = v.strictObject({
  action: v.literal('chat.read'),
  appointmentId: AppointmentId,
  messageId: v.pipe(v.string(), v.nonEmpty(), v.maxLength(64)),
});

/** The patient is on the waiting-room page (on open and every reconnect), or has closed it. */
export const WaitingPresenceFrame = v.strictObject({
  action: v.literal('waiting.presence'),
  appointmentId: AppointmentId,
  present: v.boolean(),
});

// ---- Server → client frames ----------------------------------------------------------------------

export interface ChatMessage {
  messageId: string;
  appointmentId: string;
  clientMessageId: string;
  senderId: string;
  senderRole: 'patient' | 'doctor';
  text: string;
  sentAt: string;
}

/** The payload of a signal frame, as the sender wrote it and the other participant receives it. */
export type SignalData = v.InferOutput<typeof SignalFrame>['data'];
export type CallRole = 'patient' | 'doctor' | 'guest';
/** Everyone in a call: the doctor, the patient and the guests the doctor admitted (at most three in all). */
export const MAX_CALL_PARTICIPANTS = 3;
/** One seat in a call; `id` is the user id (a guest's generated id), `displayName` is PHI: never logged. */
export interface CallParticipant {
  id: string;
  role: CallRole;
  displayName: string;
}

export type ServerFrame =
  | { type: 'pong'; id?: string; at: string }
  | {
      type: 'error';
      code: string;
      message: string;
      fields?: Record<string, string>;
      requestId?: string;
      clientMessageId?: string;
    }
  | { type: 'appointment'; event: string; appointment: Appointment }
  /**
   * To the doctor: someone else booked, moved or cancelled a visit within the next 24 hours (for a
   * move, `previousStart` or the new time is).
   */
  | {
      type: 'booking.notice';
      event: 'booked' | 'rescheduled' | 'cancelled';
      appointment: Appointment;
      previousStart?: string;
    }
  | { type: 'running_late'; appointmentId: string; minutes: number }
  /** To the doctor: a late patient's rescue moved on (texted, opened the link). */
  | { type: 'rescue'; rescue: RescueState }
  /**
   * Sent to the joining connection once it is registered in the call (after the others are told):
   * who it is in the call, and the other participants in the call right now.
   */
  | { type: 'call.joined'; appointmentId: string; you: CallParticipant; participants: CallParticipant[] }
  /** To the doctor: the checked-in patient opened or closed the waiting room, or their socket dropped. */
  | { type: 'waiting'; appointmentId: string; present: boolean; reason?: 'closed' | 'disconnected' }
  | {
      type: 'peer';
      appointmentId: string;
      event: 'joined' | 'left';
      role: CallRole;
      participant: CallParticipant;
      /** For "left": the Leave button, the tab closing, or the socket dropping without a word. */
      reason?: LeaveReason;
    }
  /** `from`: the sending participant's id. */
  | { type: 'signal'; appointmentId: string; from: string; data: SignalData }
  | {
      type: 'media';
      appointmentId: string;
      /** The participant's id. */
      from: string;
      audio: boolean;
      video: boolean;
      screen: boolean;
    }
  | { type: 'chat.message'; message: ChatMessage }
  | { type: 'chat.ack'; clientMessageId: string; message: ChatMessage }
  /** The other participant (`readerRole`) has read the messages up to `messageId`. */
  | { type: 'chat.read'; appointmentId: string; messageId: string; readerRole: CallRole; readAt: string }
  | { type: 'call.ended'; appointmentId: string }
  | { type: 'recording'; appointmentId: string; active: boolean; consents: Record<string, boolean> };

export type ServerFrameType = ServerFrame['type'];
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;

// ---- WebSocket actions: each name is the literal of its frame schema --------------------------------

/** Every client → server frame schema; a frame's `action` selects the route. */
export const wsFrames = {
  callJoin: JoinCallFrame,
  callLeave: LeaveCallFrame,
  signal: SignalFrame,
  media: MediaStateFrame,
  chatSend: ChatSendFrame,
  chatRead: ChatReadFrame,
  waitingPresence: WaitingPresenceFrame,
  ping: PingFrame,
} as const;

type WsFrames = typeof wsFrames;
/** The action name of a frame schema, read from its `action` literal. */
export const actionOf = <S extends WsFrames[keyof WsFrames]>(schema: S): S['entries']['action']['literal'] =>
  schema.entries.action.literal;

/** The action names, e.g. `WsAction.callJoin === 'call.join'`; never write one as a string elsewhere. */
export const WsAction = Object.fromEntries(
  Object.entries(wsFrames).map(([key, schema]) => [key, actionOf(schema)]),
) as { readonly [K in keyof WsFrames]: WsFrames[K]['entries']['action']['literal'] };

/** What a client may send: the input of one of the frame schemas. */
export type ClientFrame = { [K in keyof WsFrames]: v.InferInput<WsFrames[K]> }[keyof WsFrames];
export type ClientAction = ClientFrame['action'];

export type JoinInfo =
  | { provider: 'p2p'; iceServers: RTCIceServerLike[]; expiresAt: string }
  | {
      provider: 'twilio';
      token: string;
      roomName: string;
      expiresAt: string;
      /** Recording may be offered: its storage is configured (otherwise the consent UI is not shown). */
      recordingAvailable: boolean;
    };

export interface RTCIceServerLike {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface WaitingPatient {
  appointmentId: string;
  patientId: string;
  patientName: string;
  start: string;
  checkedInAt: string;
  deviceCheckPassed: boolean;
  /** The patient has the waiting room open right now. */
  present: boolean;
  /** The visit's guest, if one was invited (admitted separately: docs/adr/0021-visit-passes.md). */
  guest?: GuestState;
}
