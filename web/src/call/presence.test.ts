import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../shared/live';
import {
  BACK_NOTICE_MS,
  describePresence,
  initialPresence,
  presence,
  RECONNECT_GIVE_UP_MS,
  type Presence,
  type PresenceEvent,
} from './presence';

const peer = (event: 'joined' | 'left', reason?: 'left' | 'closed' | 'disconnected'): ServerFrame => ({
  type: 'peer',
  appointmentId: 'a',
  event,
  role: 'patient',
  participant: { id: 'pat-1', role: 'patient', displayName: 'Sam Patel' },
  ...(reason ? { reason } : {}),
});

function run(events: PresenceEvent[], start = initialPresence(0)): Presence {
  return events.reduce(presence, start);
}
const view = (s: Presence, now = s.since) => describePresence(s, 'Maya', now);

describe('presence of the other participant', () => {
  it('is unknown until they join or media flows; then their chips show and nothing else is said', () => {
    expect(view(initialPresence(0))).toEqual({ showMediaChips: false, offerFallback: false });
    const s = run([{ type: 'frame', frame: peer('joined'), at: 1 }]);
    expect(s.phase).toBe('here');
    expect(view(s)).toEqual({ showMediaChips: true, offerFallback: false });
    expect(run([{ type: 'call-state', state: 'connected', at: 1 }]).phase).toBe('here');
  });

  it('a Leave or a closed tab says they left, hides the stale chips and offers the phone', () => {
    for (const reason of ['left', 'closed'] as const) {
      const s = run([
        { type: 'call-state', state: 'connected', at: 0 },
        { type: 'frame', frame: peer('left', reason), at: 1000 },
        // The media connection going down afterwards changes nothing.
        { type: 'call-state', state: 'reconnecting', at: 2000 },
        { type: 'media-stalled', stalled: true, at: 2000 },
      ]);
      expect(s).toMatchObject({ phase: 'left', reason });
      expect(view(s)).toEqual({ text: 'Maya left the visit', showMediaChips: false, offerFallback: true });
    }
  });

  it('a network loss shows a running reconnect clock, then "back" for a moment once media returns', () => {
    let s = run([
      { type: 'call-state', state: 'connected', at: 0 },
      { type: 'media-stalled', stalled: true, at: 10_000 },
    ]);
    expect(view(s, 52_000)).toEqual({
      text: 'Waiting for Maya to reconnect (0:42)',
      showMediaChips: false,
      offerFallback: true,
    });
    // The dropped socket reported afterwards is the same absence.
    s = presence(s, { type: 'frame', frame: peer('left', 'disconnected'), at: 11_000 });
    expect(s.since).toBe(10_000);
    s = presence(s, { type: 'frame', frame: peer('joined'), at: 60_000 });
    expect(view(s).text).toBe('Maya is back');
    s = presence(s, { type: 'tick', at: 60_000 + BACK_NOTICE_MS - 1 });
    expect(s.phase).toBe('back');
    s = presence(s, { type: 'tick', at: 60_000 + BACK_NOTICE_MS });
    expect(view(s)).toEqual({ showMediaChips: true, offerFallback: false });
  });

  it('a stall that clears by itself was a blip; ICE trouble also counts as away', () => {
    const s = run([
      { type: 'frame', frame: peer('joined'), at: 0 },
      { type: 'media-stalled', stalled: true, at: 1000 },
      { type: 'media-stalled', stalled: false, at: 2000 },
    ]);
    expect(s.phase).toBe('back');
    expect(
      run([
        { type: 'call-state', state: 'connected', at: 0 },
        { type: 'call-state', state: 'reconnecting', at: 5 },
      ]).phase,
    ).toBe('away');
  });

  it('someone who left and rejoins is back; someone away too long is treated as gone', () => {
    const back = run([
      { type: 'frame', frame: peer('joined'), at: 0 },
      { type: 'frame', frame: peer('left', 'left'), at: 1 },
      { type: 'frame', frame: peer('joined'), at: 2 },
    ]);
    expect(view(back).text).toBe('Maya is back');
    const gone = run([
      { type: 'frame', frame: peer('joined'), at: 0 },
      { type: 'frame', frame: peer('left', 'disconnected'), at: 1 },
      { type: 'tick', at: 1 + RECONNECT_GIVE_UP_MS },
    ]);
    expect(gone).toMatchObject({ phase: 'left', reason: 'timeout' });
    expect(view(gone).text).toBe('Maya has not come back');
    // Media from a lingering connection does not undo a deliberate leave.
    expect(
      run([
        { type: 'frame', frame: peer('left', 'closed'), at: 0 },
        { type: 'call-state', state: 'connected', at: 1 },
      ]).phase,
    ).toBe('left');
  });
});
