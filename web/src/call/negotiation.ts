import type { ServerFrame, SignalData } from '../../../shared/live';
import type { CallState } from './types';

/**
 * Browser-to-browser WebRTC negotiation as a reducer: `(state, event) → { state, commands }`. The
 * driver (p2p.ts) turns commands into RTCPeerConnection calls, signaling frames and timers, runs
 * them one at a time in order, and feeds back what happened as events.
 *
 * Only the impolite peer (the doctor) ever makes offers, so offers never collide. Whenever either
 * side (re)joins — first join, page reload, socket reconnect — the patient builds a fresh connection
 * and sends "restart"; the doctor answers a restart from a new patient session with a fresh
 * connection and an offer. Each connection incarnation has a session id, answers name the offer they
 * answer, and anything from an older incarnation is ignored. Candidates that arrive before the
 * description of their session (frames are not ordered) wait in a small buffer. ICE failures are
 * repaired with an ICE restart. Signals can be lost while a peer is between sockets, so a watchdog
 * on the patient's side keeps asking until connected, backing off so a slow negotiation is not cut
 * short by its own retry.
 */

export type Candidate = NonNullable<SignalData['candidate']>;
/** A signal as this side sends it; the driver adds nothing, `session` is already set. */
export type OutgoingSignal = SignalData;

export const WATCHDOG_FIRST_MS = 4_000;
export const WATCHDOG_MAX_MS = 20_000;
/** A "disconnected" connection often recovers by itself; a "failed" one never does. */
export const DISCONNECTED_GRACE_MS = 2_500;
export const MAX_BUFFERED_CANDIDATES = 100;
export const MAX_BUFFERED_SESSIONS = 4;

export interface NegotiationState {
  readonly impolite: boolean;
  readonly left: boolean;
  readonly callState: CallState;
  /** The current connection's session id; '' when there is no connection. */
  readonly session: string;
  /** The other side's session our current connection is negotiated with ('' while unknown). */
  readonly remoteSession: string;
  readonly connectionState: RTCPeerConnectionState | 'none';
  readonly hasRemoteDescription: boolean;
  /** The impolite side has sent an offer on this connection and waits for its answer. */
  readonly awaitingAnswer: boolean;
  /** Candidates by remote session, oldest session first. */
  readonly earlyCandidates: readonly (readonly [string, readonly Candidate[]])[];
  readonly watchdogDelay: number;
}

export type NegotiationEvent =
  | { type: 'start' }
  /** The realtime socket (re)opened. */
  | { type: 'socket-open' }
  | { type: 'frame'; frame: ServerFrame }
  /** The driver created and set a local offer / answer on the connection of `session`. */
  | { type: 'local-offer'; session: string; sdp: string }
  | { type: 'local-answer'; session: string; sdp: string; target: string | undefined }
  | { type: 'local-candidate'; session: string; candidate: Candidate }
  | { type: 'connection-state'; session: string; state: RTCPeerConnectionState }
  | { type: 'repair-due' }
  | { type: 'watchdog-due'; socketOpen: boolean }
  | { type: 'leave' };

export type NegotiationCommand =
  /** Close the current connection (if any) and build a new one for `session`, with local tracks. */
  | { type: 'rebuild'; session: string }
  | { type: 'create-offer'; session: string; iceRestart: boolean }
  /** Set the remote offer, add the buffered candidates, create and set an answer. */
  | {
      type: 'accept-offer';
      session: string;
      sdp: string;
      candidates: Candidate[];
      target: string | undefined;
    }
  | { type: 'accept-answer'; session: string; sdp: string; candidates: Candidate[] }
  | { type: 'add-candidate'; session: string; candidate: Candidate }
  | { type: 'send-signal'; data: OutgoingSignal }
  | { type: 'join-call' }
  | { type: 'leave-call' }
  | { type: 'clear-remote-media' }
  | { type: 'schedule-repair'; delayMs: number }
  | { type: 'cancel-repair' }
  | { type: 'schedule-watchdog'; delayMs: number }
  | { type: 'cancel-watchdog' }
  | { type: 'close' };

export interface Transition {
  state: NegotiationState;
  commands: NegotiationCommand[];
}

export function initialNegotiation(impolite: boolean): NegotiationState {
  return {
    impolite,
    left: false,
    callState: 'connecting',
    session: '',
    remoteSession: '',
    connectionState: 'none',
    hasRemoteDescription: false,
    awaitingAnswer: false,
    earlyCandidates: [],
    watchdogDelay: WATCHDOG_FIRST_MS,
  };
}

/**
 * `newSession` makes the id of a new connection incarnation (random in the browser, counted in
 * tests).
 */
export function negotiate(
  state: NegotiationState,
  event: NegotiationEvent,
  newSession: () => string,
): Transition {
  if (state.left) return { state, commands: [] };
  const out: NegotiationCommand[] = [];
  let s = state;
  const set = (patch: Partial<NegotiationState>) => (s = { ...s, ...patch });
  const connected = () => s.session !== '' && s.connectionState === 'connected';
  const signal = (data: Omit<OutgoingSignal, 'session'>) =>
    out.push({ type: 'send-signal', data: { ...data, session: s.session } });

  const rebuild = () => {
    const session = newSession();
    set({
      session,
      remoteSession: '',
      connectionState: 'new',
      hasRemoteDescription: false,
      awaitingAnswer: false,
    });
    out.push({ type: 'rebuild', session });
  };
  const offer = (iceRestart: boolean) => {
    if (!s.session) rebuild();
    out.push({ type: 'create-offer', session: s.session, iceRestart });
  };
  /** Takes the buffered candidates of the current remote session out of the buffer. */
  const takeCandidates = (): Candidate[] => {
    const entry = s.earlyCandidates.find(([from]) => from === s.remoteSession);
    if (!entry) return [];
    set({ earlyCandidates: s.earlyCandidates.filter((e) => e !== entry) });
    return [...entry[1]];
  };
  const bufferCandidate = (from: string, candidate: Candidate) => {
    const entry = s.earlyCandidates.find(([f]) => f === from);
    const list = entry ? entry[1] : [];
    const next = list.length < MAX_BUFFERED_CANDIDATES ? [...list, candidate] : list;
    let buffer = [...s.earlyCandidates.filter((e) => e !== entry), [from, next] as const];
    // Keep only a few sessions' worth: stale ones are dropped.
    if (buffer.length > MAX_BUFFERED_SESSIONS) buffer = buffer.slice(buffer.length - MAX_BUFFERED_SESSIONS);
    set({ earlyCandidates: buffer });
  };
  /** Ask for a fresh negotiation: the patient rebuilds and asks the doctor; the doctor asks the patient. */
  const requestRestart = () => {
    if (!s.impolite) rebuild();
    signal({ kind: 'restart' });
  };

  const onSignal = (data: SignalData) => {
    if (data.kind === 'restart') {
      if (!s.impolite) {
        // The doctor is new (reload) or lost us: start over from our side.
        rebuild();
        signal({ kind: 'restart' });
        return;
      }
      // A restart from the same patient connection: ICE restart; from a new one: a new connection.
      if (s.session && data.session && data.session === s.remoteSession) return offer(true);
      rebuild();
      set({ remoteSession: data.session ?? '' });
      return offer(false);
    }
    if (data.kind === 'offer' && !s.impolite && data.sdp !== undefined) {
      if (!s.session || (s.remoteSession !== '' && data.session !== s.remoteSession)) rebuild();
      set({ remoteSession: data.session ?? '', hasRemoteDescription: true });
      out.push({
        type: 'accept-offer',
        session: s.session,
        sdp: data.sdp,
        candidates: takeCandidates(),
        target: data.session,
      });
      return;
    }
    if (
      data.kind === 'answer' &&
      s.impolite &&
      s.awaitingAnswer &&
      data.target === s.session &&
      data.sdp !== undefined
    ) {
      set({
        remoteSession: data.session ?? s.remoteSession,
        awaitingAnswer: false,
        hasRemoteDescription: true,
      });
      out.push({ type: 'accept-answer', session: s.session, sdp: data.sdp, candidates: takeCandidates() });
      return;
    }
    if (data.kind === 'candidate' && data.candidate && s.session) {
      const from = data.session ?? '';
      if (s.hasRemoteDescription && from === s.remoteSession)
        out.push({ type: 'add-candidate', session: s.session, candidate: data.candidate });
      else bufferCandidate(from, data.candidate);
    }
  };

  switch (event.type) {
    case 'start':
      out.push({ type: 'schedule-watchdog', delayMs: s.watchdogDelay });
      break;
    case 'socket-open':
      // Every (re)open of the socket re-enters the call. A working connection is kept as it is
      // (media does not depend on the socket); otherwise negotiation starts over.
      out.push({ type: 'join-call' });
      if (!connected()) requestRestart();
      if (s.callState === 'connecting') set({ callState: 'waiting-for-peer' });
      break;
    case 'frame': {
      const { frame } = event;
      if (frame.type === 'signal') onSignal(frame.data);
      if (frame.type === 'peer' && frame.event === 'joined' && !s.impolite && !connected()) requestRestart();
      // A "left" can be about an old socket of a peer who is still here: trust the media connection.
      if (frame.type === 'peer' && frame.event === 'left' && !connected()) {
        set({ callState: 'waiting-for-peer' });
        out.push({ type: 'clear-remote-media' });
      }
      if (frame.type === 'call.ended') return leave(s);
      break;
    }
    case 'local-offer':
      if (event.session !== s.session) break;
      set({ awaitingAnswer: true });
      signal({ kind: 'offer', sdp: event.sdp });
      break;
    case 'local-answer':
      if (event.session !== s.session) break;
      signal({ kind: 'answer', sdp: event.sdp, target: event.target });
      break;
    case 'local-candidate':
      if (event.session !== s.session) break;
      signal({ kind: 'candidate', candidate: event.candidate });
      break;
    case 'connection-state':
      if (event.session !== s.session) break;
      set({ connectionState: event.state });
      if (event.state === 'connected') {
        set({ callState: 'connected' });
        out.push({ type: 'cancel-repair' });
      } else if (event.state === 'disconnected' || event.state === 'failed') {
        set({ callState: 'reconnecting' });
        out.push({ type: 'cancel-repair' });
        out.push({ type: 'schedule-repair', delayMs: event.state === 'failed' ? 0 : DISCONNECTED_GRACE_MS });
      }
      break;
    case 'repair-due':
      if (!s.session || connected()) break;
      if (s.impolite) offer(true);
      else signal({ kind: 'restart' });
      break;
    case 'watchdog-due':
      if (connected()) set({ watchdogDelay: WATCHDOG_FIRST_MS });
      else if (!s.impolite && event.socketOpen) {
        signal({ kind: 'restart' });
        set({ watchdogDelay: Math.min(WATCHDOG_MAX_MS, s.watchdogDelay * 2) });
      }
      out.push({ type: 'schedule-watchdog', delayMs: s.watchdogDelay });
      break;
    case 'leave':
      return leave(s);
  }
  return { state: s, commands: out };
}

function leave(s: NegotiationState): Transition {
  return {
    state: { ...s, left: true, callState: 'ended', session: '', connectionState: 'none' },
    commands: [
      { type: 'cancel-watchdog' },
      { type: 'cancel-repair' },
      { type: 'leave-call' },
      { type: 'close' },
    ],
  };
}
