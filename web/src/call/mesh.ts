import type { CallParticipant, CallRole, ServerFrame } from '../../../shared/live';
import {
  initialNegotiation,
  negotiate,
  type NegotiationCommand,
  type NegotiationEvent,
  type NegotiationState,
  type OutgoingSignal,
} from './negotiation';
import type { CallState } from './types';

/**
 * The p2p call as a small mesh: one negotiation (negotiation.ts) and one RTCPeerConnection per
 * other participant, at most two. A pure reducer, like the negotiation it holds per peer: frames
 * go to the peer they come from (signals by `from`, presence by `participant`), signals go out
 * addressed to one peer (`to`), and a peer who leaves on purpose is closed and forgotten without
 * touching the others.
 *
 * Who offers is fixed per pair, so offers never collide: the doctor offers to everyone, the patient
 * to a guest, and between two guests the smaller id. The other side of each pair is the polite one
 * and asks for (re)negotiation with a "restart" signal, exactly as between doctor and patient.
 */

const RANK: Record<CallRole, number> = { doctor: 0, patient: 1, guest: 2 };

/** Whether `self` makes the offers on its connection with `other`. */
export function offersTo(self: CallParticipant, other: CallParticipant): boolean {
  const a = RANK[self.role];
  const b = RANK[other.role];
  return a !== b ? a < b : self.id < other.id;
}

export interface MeshPeer {
  readonly participant: CallParticipant;
  readonly negotiation: NegotiationState;
}

export interface MeshState {
  readonly left: boolean;
  /** Our own seat, once the server has acknowledged the join. */
  readonly self: CallParticipant | undefined;
  /** The socket is open and `call.join` was sent. */
  readonly joining: boolean;
  /** The other participants we negotiate with, in the order they arrived. */
  readonly peers: readonly MeshPeer[];
  /**
   * `peer` frames that arrived before our own `call.joined`: two people joining at once each register,
   * and the other's "joined" can overtake our acknowledgement (whose list was read before they
   * registered). Replayed once we know our seat, so neither side waits for a peer it was told about.
   */
  readonly early?: readonly Extract<ServerFrame, { type: 'peer' }>[];
}

/** Per-peer steps: timers and connection work the driver runs for the connection with `peer`. */
export type PeerCommand = Exclude<
  NegotiationCommand,
  { type: 'send-signal' } | { type: 'join-call' } | { type: 'leave-call' }
>;

export type MeshEvent =
  | { type: 'socket-open' }
  | { type: 'frame'; frame: ServerFrame }
  /** Something happened on the connection with `peer` (local descriptions, candidates, states, timers). */
  | { type: 'peer-event'; peer: string; event: NegotiationEvent }
  | { type: 'leave'; reason?: 'left' | 'closed' };

export type MeshCommand =
  | { type: 'join-call' }
  | { type: 'leave-call'; reason?: 'left' | 'closed' }
  | { type: 'send-signal'; to: string; data: OutgoingSignal }
  /** A new participant to show and negotiate with. */
  | { type: 'add-peer'; participant: CallParticipant }
  /** That participant left on purpose: its connection is closed, its timers stopped, its tile gone. */
  | { type: 'remove-peer'; peer: string }
  | { type: 'peer'; peer: string; command: PeerCommand };

export interface MeshTransition {
  state: MeshState;
  commands: MeshCommand[];
}

export const initialMesh = (): MeshState => ({ left: false, self: undefined, joining: false, peers: [] });

/** The call as a whole: connected while anyone is, reconnecting while someone is lost. */
export function meshCallState(state: MeshState): CallState {
  if (state.left) return 'ended';
  const states = state.peers.map((p) => p.negotiation.callState);
  if (states.includes('connected')) return 'connected';
  if (states.includes('reconnecting')) return 'reconnecting';
  return state.joining ? 'waiting-for-peer' : 'connecting';
}

export function mesh(state: MeshState, event: MeshEvent, newSession: () => string): MeshTransition {
  if (state.left) return { state, commands: [] };
  const out: MeshCommand[] = [];
  let peers = [...state.peers];
  let self = state.self;
  let joining = state.joining;
  let early = state.early ?? [];

  /** Runs one negotiation event on the peer `id`; its signals are addressed to that peer. */
  const feed = (id: string, e: NegotiationEvent) => {
    const i = peers.findIndex((p) => p.participant.id === id);
    if (i < 0) return;
    const peer = peers[i]!;
    const t = negotiate(peer.negotiation, e, newSession);
    peers[i] = { ...peer, negotiation: t.state };
    for (const c of t.commands) {
      if (c.type === 'send-signal') out.push({ type: 'send-signal', to: id, data: c.data });
      // Joining and leaving the call is once for the whole page, not per peer.
      else if (c.type !== 'join-call' && c.type !== 'leave-call')
        out.push({ type: 'peer', peer: id, command: c });
    }
  };
  const add = (participant: CallParticipant) => {
    if (!self || participant.id === self.id || peers.some((p) => p.participant.id === participant.id)) return;
    peers.push({ participant, negotiation: initialNegotiation(offersTo(self, participant)) });
    out.push({ type: 'add-peer', participant });
    feed(participant.id, { type: 'start' });
    // We are in the call already: the peer's negotiation is too.
    feed(participant.id, { type: 'socket-open' });
  };
  const remove = (id: string) => {
    if (!peers.some((p) => p.participant.id === id)) return;
    peers = peers.filter((p) => p.participant.id !== id);
    out.push({ type: 'remove-peer', peer: id });
  };
  const peerFrame = (frame: Extract<ServerFrame, { type: 'peer' }>) => {
    const id = frame.participant.id;
    if (frame.event === 'joined') add(frame.participant);
    feed(id, { type: 'frame', frame });
    // A deliberate leave ends that connection; a return is a new peer.
    if (frame.event === 'left' && (frame.reason === 'left' || frame.reason === 'closed')) remove(id);
  };
  const done = (): MeshTransition => ({
    state: { left: false, self, joining, peers, ...(early.length ? { early } : {}) },
    commands: out,
  });

  switch (event.type) {
    case 'socket-open':
      joining = true;
      out.push({ type: 'join-call' });
      for (const p of state.peers) feed(p.participant.id, { type: 'socket-open' });
      return done();
    case 'peer-event':
      feed(event.peer, event.event);
      return done();
    case 'leave':
      for (const p of state.peers) feed(p.participant.id, { type: 'leave', reason: event.reason });
      out.push({ type: 'leave-call', ...(event.reason ? { reason: event.reason } : {}) });
      return { state: { left: true, self, joining, peers }, commands: out };
    case 'frame':
      break;
  }

  const { frame } = event;
  switch (frame.type) {
    case 'call.joined': {
      self = frame.you;
      const known = new Set(peers.map((p) => p.participant.id));
      // Those we knew before (a socket that came back) hear it as before; newcomers start fresh.
      for (const id of known) feed(id, { type: 'frame', frame });
      for (const participant of frame.participants) {
        if (known.has(participant.id)) continue;
        add(participant);
        feed(participant.id, { type: 'frame', frame });
      }
      const overtaken = early;
      early = [];
      const listed = new Set([...known, ...frame.participants.map((p) => p.id)]);
      for (const f of overtaken) if (!(f.event === 'joined' && listed.has(f.participant.id))) peerFrame(f);
      return done();
    }
    case 'peer': {
      if (!self) {
        // Before our own acknowledgement: keep the latest word on each participant for then.
        early = [...early.filter((f) => f.participant.id !== frame.participant.id), frame];
        return done();
      }
      peerFrame(frame);
      return done();
    }
    case 'signal':
      // Only from someone we know is in the call (the server relays only between its seats).
      feed(frame.from, { type: 'frame', frame });
      return done();
    case 'call.ended':
      for (const p of state.peers) feed(p.participant.id, { type: 'frame', frame });
      out.push({ type: 'leave-call' });
      return { state: { left: true, self, joining, peers }, commands: out };
    default:
      return done();
  }
}
