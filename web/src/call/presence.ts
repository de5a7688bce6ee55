import type { LeaveReason, ServerFrame } from '../../../shared/live';
import type { CallState } from './types';

/**
 * Where the other participant is, as this side can tell: from the server's peer frames (a
 * deliberate leave says so; a socket that just drops does not), from the media connection, and from
 * media that stops arriving. A pure reducer; the page feeds it and shows `describePresence`.
 */
export type PresencePhase = 'unknown' | 'here' | 'back' | 'away' | 'left';

export interface Presence {
  readonly phase: PresencePhase;
  /** When the current phase began (ms). */
  readonly since: number;
  readonly reason?: LeaveReason | 'timeout';
  /** The other side has been here at least once in this call. */
  readonly seen: boolean;
}

export type PresenceEvent =
  | { type: 'frame'; frame: ServerFrame; at: number }
  | { type: 'call-state'; state: CallState; at: number }
  | { type: 'media-stalled'; stalled: boolean; at: number }
  | { type: 'tick'; at: number };

/** "Maya is back" stays this long before the usual status returns. */
export const BACK_NOTICE_MS = 5_000;
/** Someone away this long is treated as gone, so the doctor is offered the phone instead. */
export const RECONNECT_GIVE_UP_MS = 120_000;

export const initialPresence = (at: number): Presence => ({ phase: 'unknown', since: at, seen: false });

export function presence(state: Presence, event: PresenceEvent): Presence {
  const to = (phase: PresencePhase, reason?: Presence['reason']): Presence =>
    phase === state.phase && reason === state.reason
      ? state
      : { phase, since: event.at, reason, seen: state.seen || phase === 'here' || phase === 'back' };
  const arrived = () =>
    state.phase === 'away' || state.phase === 'left'
      ? to('back')
      : state.phase === 'back'
        ? state
        : to('here');

  switch (event.type) {
    case 'frame': {
      const f = event.frame;
      if (f.type !== 'peer') return state;
      if (f.event === 'joined') return arrived();
      if (f.reason === 'left' || f.reason === 'closed') return to('left', f.reason);
      return state.phase === 'left' ? state : to('away', f.reason ?? 'disconnected');
    }
    case 'call-state':
      if (event.state === 'connected')
        return state.phase === 'left' && state.reason !== 'timeout' ? state : arrived();
      if (event.state === 'reconnecting' && (state.phase === 'here' || state.phase === 'back'))
        return to('away', 'disconnected');
      return state;
    case 'media-stalled':
      if (event.stalled && (state.phase === 'here' || state.phase === 'back'))
        return to('away', 'disconnected');
      if (!event.stalled && state.phase === 'away' && state.reason === 'disconnected') return arrived();
      return state;
    case 'tick':
      if (state.phase === 'back' && event.at - state.since >= BACK_NOTICE_MS) return to('here');
      if (state.phase === 'away' && event.at - state.since >= RECONNECT_GIVE_UP_MS)
        return to('left', 'timeout');
      return state;
  }
}

const clock = (ms: number) => {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
};

export interface PresenceView {
  /** What to say about the other person, or undefined when the usual call status says it all. */
  text?: string;
  /** Their microphone/camera chips describe a live stream and are shown only while they are here. */
  showMediaChips: boolean;
  /** They are gone or away: offer another way to reach them. */
  offerFallback: boolean;
}

export function describePresence(state: Presence, name: string, now: number): PresenceView {
  switch (state.phase) {
    case 'unknown':
      return { showMediaChips: false, offerFallback: false };
    case 'here':
      return { showMediaChips: true, offerFallback: false };
    case 'back':
      return { text: `${name} is back`, showMediaChips: true, offerFallback: false };
    case 'away':
      return {
        text: `Waiting for ${name} to reconnect (${clock(now - state.since)})`,
        showMediaChips: false,
        offerFallback: true,
      };
    case 'left':
      return {
        text: state.reason === 'timeout' ? `${name} has not come back` : `${name} left the visit`,
        showMediaChips: false,
        offerFallback: true,
      };
  }
}
