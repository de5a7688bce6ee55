import type { Accessor } from 'solid-js';

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

/** What the call page needs from a video provider (p2p WebRTC or Twilio Video). */
export interface CallSession {
  state: Accessor<CallState>;
  localStream: Accessor<MediaStream | undefined>;
  remoteStream: Accessor<MediaStream | undefined>;
  remoteMedia: Accessor<PeerMedia>;
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
  /** "left" for the Leave button, "closed" when the tab is closing. */
  leave(reason?: 'left' | 'closed'): void;
}
