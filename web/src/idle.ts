import { onCleanup } from 'solid-js';
import { lastActivity, markActive } from './auth';
import { idlePhase, type IdlePhase } from './session-rules';

/**
 * What counts as the user being there, in any tab of the app: pointer, keys, touch and scrolling.
 * Scrolling is taken from its causes (wheel, touch, keys, a dragged scroll bar): `scroll` events also
 * come from the app itself (a chat log following new messages), which must not keep a session alive.
 */
const ACTIVITY_EVENTS = [
  'pointerdown',
  'pointermove',
  'keydown',
  'touchstart',
  'touchmove',
  'wheel',
] as const;
const TICK_MS = 1000;

const keptActive = new Set<() => boolean>();

/**
 * While `when` holds, the session counts as active: a video call with media flowing must not end
 * mid-visit because nobody touched the keyboard. Lasts as long as the calling component.
 */
export function stayActiveWhile(when: () => boolean): void {
  keptActive.add(when);
  onCleanup(() => keptActive.delete(when));
}

/**
 * Watches this tab for activity and tells `onPhase` where the session stands every second (the
 * stamp in localStorage is shared, so activity in another tab counts too). `onIdle` is called once
 * when the idle time has run out. Returns the function that stops watching.
 */
export function watchIdle(
  idle: { idleMs: number; warningMs: number },
  onPhase: (phase: IdlePhase) => void,
  onIdle: () => void,
): () => void {
  let markedAt = 0;
  let ended = false;
  const mark = (event: Event) => {
    // Browsers send pointer moves when the page changes under a still mouse (a video starting).
    if (event instanceof PointerEvent && event.type === 'pointermove' && !event.movementX && !event.movementY)
      return;
    const now = Date.now();
    // Pointer moves come by the hundred: one write to localStorage a second is plenty.
    if (now - markedAt < TICK_MS) return;
    markedAt = now;
    markActive(idle.idleMs);
    tick();
  };
  const tick = () => {
    if ([...keptActive].some((active) => active())) markActive(idle.idleMs);
    const seenAt = lastActivity();
    if (seenAt === undefined) {
      ended = false;
      return onPhase({ kind: 'active' });
    }
    const phase = idlePhase(seenAt, Date.now(), idle);
    onPhase(phase);
    if (phase.kind === 'expired' && !ended) {
      ended = true;
      onIdle();
    }
  };
  for (const name of ACTIVITY_EVENTS) window.addEventListener(name, mark, { capture: true, passive: true });
  const timer = setInterval(tick, TICK_MS);
  tick();
  return () => {
    clearInterval(timer);
    for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, mark, { capture: true });
  };
}
