import type { Accessor } from 'solid-js';
import type { CallParticipant, CallRole } from '../../../shared/live';
import type { MediaCounters } from './call-stats';

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';
/**
 * `ended`: left on purpose (or the visit ended); `failed`: lost with an error the engine will not
 * recover from by itself (Twilio `disconnected` with an error, p2p signalling giving up) — the call
 * page then offers Rejoin while the visit runs (call/rejoin.ts).
 */
export type CallState = 'connecting' | 'waiting-for-peer' | 'connected' | 'reconnecting' | 'ended' | 'failed';

export interface PeerMedia {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

/**
 * Why the media connection ended, as far as the provider tells: "left" (this side hung up or the page
 * closed), "completed" (the room was closed: the visit is over), "expired" (the access token ran out:
 * a fresh one rejoins), "network" (the connection was lost), "replaced" (the same person joined from
 * elsewhere), "error" (anything else the provider reported). `code` is the provider's numeric code.
 * Everything but "left", "completed" and "replaced" is worth offering a Rejoin for.
 */
export interface CallEnding {
  reason: 'left' | 'completed' | 'expired' | 'network' | 'replaced' | 'error';
  code?: number;
}

/** Another participant beside the one the visit is with (a guest, or for a guest the patient). */
export interface RemoteParticipant {
  participant: CallParticipant;
  stream: Accessor<MediaStream | undefined>;
  media: Accessor<PeerMedia>;
}

/**
 * Who the visit is with, seen from `self`: the doctor's patient; everyone else's doctor. Their
 * video is the large one; anyone else in the call gets a tile of their own.
 */
export const counterpartRole = (self: CallRole): CallRole => (self === 'doctor' ? 'patient' : 'doctor');

/**
 * What the call page needs from a video provider (p2p WebRTC or Twilio Video). `remoteStream`,
 * `remoteMedia` and `mediaStalled` are the counterpart's (counterpartRole); `others` are the rest.
 */
export interface CallSession {
  state: Accessor<CallState>;
  localStream: Accessor<MediaStream | undefined>;
  remoteStream: Accessor<MediaStream | undefined>;
  remoteMedia: Accessor<PeerMedia>;
  /** The other participants besides the counterpart, in the order they arrived (at most one). */
  others: Accessor<RemoteParticipant[]>;
  quality: Accessor<Quality>;
  micOn: Accessor<boolean>;
  cameraOn: Accessor<boolean>;
  sharing: Accessor<boolean>;
  setMic(on: boolean): void;
  setCamera(on: boolean): void;
  useDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void>;
  shareScreen(on: boolean): Promise<void>;
  /** No media has arrived from the other side for a moment although the connection is up. */
  mediaStalled?: Accessor<boolean>;
  /** The other side's screen share, apart from `remoteStream`, for its own element (Twilio only). */
  remoteScreen?: Accessor<MediaStream | undefined>;
  /**
   * Whether the room is recording right now, as the room itself says (Twilio's `isRecording` and
   * its recordingStarted/recordingStopped events; Twilio only, p2p calls are never recorded).
   */
  recording?: Accessor<boolean>;
  /** How the call ended, once it has (Twilio only). */
  ending?: Accessor<CallEnding | undefined>;
  /** The media counters for the call-quality summary (call/call-stats.ts); undefined before a connection. */
  readCounters(): Promise<MediaCounters | undefined>;
  /** "left" for the Leave button, "closed" when the tab is closing. */
  leave(reason?: 'left' | 'closed'): void;
}
