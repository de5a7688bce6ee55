import { MAX_CANDIDATES_PER_FRAME, type ServerFrame, type SignalData } from '../../../shared/live';
import type { CallState } from './types';

/**
 * Browser-to-browser WebRTC negotiation as a reducer: `(state, event) → { state, commands }`. The
 * driver (p2p.ts) turns commands into RTCPeerConnection calls, signaling frames and timers, runs
 * them one at a time in order, and feeds back what happened as events.
 *
 * Only the impolite peer (the doctor) ever makes offers, so offers never collide. Whenever either
 * side is in the call (the server's `call.joined`) or sees the other join, the patient sends
 * "restart" naming its connection (built once per page, or when the doctor's side is new); the doctor
 * answers a restart from a new patient session with a fresh connection and an offer, and a repeated
 * restart for the offer it is already waiting on with that same offer again — so a start builds one
 * connection per side however the joins interleave. Local candidates travel in batches. Each connection incarnation has a session id, answers name the offer they
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
/** Local candidates gathered within this window go in one signal frame. */
export const CANDIDATE_BATCH_MS = 100;

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
  /** The doctor's offer on the current connection, sent again if the patient asks again. */
  readonly lastOffer: string;
  /** The patient's answer on the current connection and the offer it answers. */
  readonly lastAnswer: { readonly offer: string; readonly sdp: string; readonly target?: string } | undefined;
  /** The offer the patient is answering right now. */
  readonly acceptingOffer: string;
  /** Local candidates of the current connection not sent yet. */
  readonly outgoingCandidates: readonly Candidate[];
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
  /** The connection of `session` has gathered all its candidates. */
  | { type: 'local-candidates-done'; session: string }
  | { type: 'candidates-due' }
  | { type: 'connection-state'; session: string; state: RTCPeerConnectionState }
  | { type: 'repair-due' }
  | { type: 'watchdog-due'; socketOpen: boolean }
  /** This side leaves: the Leave button ("left"), the tab closing ("closed"), or the visit ended. */
  | { type: 'leave'; reason?: 'left' | 'closed' };

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
  | { type: 'leave-call'; reason?: 'left' | 'closed' }
  | { type: 'clear-remote-media' }
  | { type: 'schedule-repair'; delayMs: number }
  | { type: 'cancel-repair' }
  | { type: 'schedule-candidates'; delayMs: number }
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
    lastOffer: '',
    lastAnswer: undefined,
    acceptingOffer: '',
    outgoingCandidates: [],
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
      lastOffer: '',
      lastAnswer: undefined,
      outgoingCandidates: [],
    });
    out.push({ type: 'rebuild', session });
  };
  const offer = (iceRestart: boolean) => {
    if (!s.session) rebuild();
    // Waiting from now on: a repeated restart must not start a second offer while this one is made.
    set({ awaitingAnswer: true, lastOffer: '' });
    out.push({ type: 'create-offer', session: s.session, iceRestart });
  };
  const flushCandidates = () => {
    const list = s.outgoingCandidates;
    if (list.length === 0) return;
    set({ outgoingCandidates: [] });
    for (let i = 0; i < list.length; i += MAX_CANDIDATES_PER_FRAME)
      signal({ kind: 'candidates', candidates: list.slice(i, i + MAX_CANDIDATES_PER_FRAME) });
  };
  const takeRemote = (from: string, list: readonly Candidate[]) => {
    if (!s.session) return;
    if (s.hasRemoteDescription && from === s.remoteSession)
      for (const candidate of list) out.push({ type: 'add-candidate', session: s.session, candidate });
    else for (const candidate of list) bufferCandidate(from, candidate);
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
  /**
   * Ask for a negotiation: the patient names its connection (building one only if it has none) and
   * asks the doctor; the doctor asks the patient. The doctor's offer decides whether the patient
   * needs a new connection.
   */
  const requestRestart = () => {
    if (!s.impolite && !s.session) rebuild();
    signal({ kind: 'restart' });
  };

  const onSignal = (data: SignalData) => {
    if (data.kind === 'restart') {
      // The doctor is new (reload) or lost us: tell it which connection to negotiate with.
      if (!s.impolite) return requestRestart();
      if (s.session && data.session && data.session === s.remoteSession) {
        // The same patient connection asking again: repeat the offer it is waiting for; while the
        // connection is still being set up, let it; once it has failed, restart ICE.
        if (s.awaitingAnswer) {
          if (s.lastOffer) signal({ kind: 'offer', sdp: s.lastOffer });
          return;
        }
        if (s.connectionState === 'new' || s.connectionState === 'connecting') return;
        return offer(true);
      }
      rebuild();
      set({ remoteSession: data.session ?? '' });
      return offer(false);
    }
    if (data.kind === 'offer' && !s.impolite && data.sdp !== undefined) {
      // The same offer again (our answer was lost, or the doctor was asked twice): answer again.
      if (s.session && data.session === s.remoteSession && s.lastAnswer?.offer === data.sdp) {
        signal({ kind: 'answer', sdp: s.lastAnswer.sdp, target: s.lastAnswer.target });
        return;
      }
      if (!s.session || (s.remoteSession !== '' && data.session !== s.remoteSession)) rebuild();
      set({ remoteSession: data.session ?? '', hasRemoteDescription: true, acceptingOffer: data.sdp });
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
    if (data.kind === 'candidate' && data.candidate) takeRemote(data.session ?? '', [data.candidate]);
    if (data.kind === 'candidates' && data.candidates) takeRemote(data.session ?? '', data.candidates);
  };

  switch (event.type) {
    case 'start':
      out.push({ type: 'schedule-watchdog', delayMs: s.watchdogDelay });
      break;
    case 'socket-open':
      // Every (re)open of the socket re-enters the call; negotiation waits for the server's
      // acknowledgement, since signals reach only sockets already in the call. A working connection
      // is kept as it is (media does not depend on the socket).
      out.push({ type: 'join-call' });
      if (s.callState === 'connecting') set({ callState: 'waiting-for-peer' });
      break;
    case 'frame': {
      const { frame } = event;
      if (frame.type === 'signal') onSignal(frame.data);
      if (frame.type === 'call.joined' && !connected()) requestRestart();
      if (frame.type === 'peer' && frame.event === 'joined' && !s.impolite && !connected()) requestRestart();
      if (frame.type === 'peer' && frame.event === 'left') {
        if (frame.reason === 'left' || frame.reason === 'closed') {
          // A deliberate leave: that connection is over; a return negotiates a new one.
          set({
            callState: 'waiting-for-peer',
            session: '',
            remoteSession: '',
            connectionState: 'none',
            hasRemoteDescription: false,
            awaitingAnswer: false,
            outgoingCandidates: [],
          });
          out.push({ type: 'cancel-repair' }, { type: 'close' }, { type: 'clear-remote-media' });
        } else if (!connected()) {
          // A dropped socket can be an old socket of a peer who is still here: trust the media.
          set({ callState: 'waiting-for-peer' });
          out.push({ type: 'clear-remote-media' });
        }
      }
      if (frame.type === 'call.ended') return leave(s, undefined);
      break;
    }
    case 'local-offer':
      if (event.session !== s.session) break;
      set({ awaitingAnswer: true, lastOffer: event.sdp });
      signal({ kind: 'offer', sdp: event.sdp });
      break;
    case 'local-answer':
      if (event.session !== s.session) break;
      set({ lastAnswer: { offer: s.acceptingOffer, sdp: event.sdp, target: event.target } });
      signal({ kind: 'answer', sdp: event.sdp, target: event.target });
      break;
    case 'local-candidate':
      if (event.session !== s.session) break;
      if (s.outgoingCandidates.length === 0)
        out.push({ type: 'schedule-candidates', delayMs: CANDIDATE_BATCH_MS });
      set({ outgoingCandidates: [...s.outgoingCandidates, event.candidate] });
      break;
    case 'local-candidates-done':
      if (event.session === s.session) flushCandidates();
      break;
    case 'candidates-due':
      flushCandidates();
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
      return leave(s, event.reason);
  }
  return { state: s, commands: out };
}

function leave(s: NegotiationState, reason: 'left' | 'closed' | undefined): Transition {
  return {
    state: { ...s, left: true, callState: 'ended', session: '', connectionState: 'none' },
    commands: [
      { type: 'cancel-watchdog' },
      { type: 'cancel-repair' },
      { type: 'leave-call', ...(reason ? { reason } : {}) },
      { type: 'close' },
    ],
  };
}
