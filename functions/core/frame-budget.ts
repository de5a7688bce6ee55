import { RATE_LIMIT } from '../../shared/live';
import type { FrameCounter, FrameRateLimiter } from './ports';

/** The most frames one instance takes from a connection's window budget at once. */
export const MAX_LEASE = 8;

interface Lease {
  window: number;
  /** Frames taken from the shared counter and not yet used. */
  left: number;
  /** Frames used in this window (by this instance). */
  used: number;
  /** What the next take asks for. */
  next: number;
  /** The window's budget is nearly spent: one frame per take until the window ends. */
  tight: boolean;
  /** The window's budget is spent (the shared count only grows within a window): refuse, no write. */
  spent: boolean;
  /** Decisions for this connection, one at a time. */
  turn: Promise<unknown>;
}

/**
 * The per-connection frame budget (RATE_LIMIT) with the shared counter written once per lease, not
 * once per frame: an instance that serves a connection's frames takes several of the window's frames
 * at once (1 for the first frame, doubling while the connection keeps sending, at most MAX_LEASE;
 * a new window starts at what the last one used) and spends them in memory. The budget holds across
 * instances and functions because every take is one conditional write to the shared counter: no more
 * than `RATE_LIMIT.frames` are ever taken in a window. What an instance took and did not use is lost
 * when the window ends — at most MAX_LEASE − 1 frames per instance serving the connection, so a
 * connection spread over several instances may be refused a little before the budget; near the end
 * a lease that no longer fits is taken one frame at a time, so a single instance reaches it exactly.
 * ADR "frame budget leases".
 */
export function leasedFrameRateLimiter(
  counter: FrameCounter,
  windowSeconds: number = RATE_LIMIT.windowSeconds,
): FrameRateLimiter {
  const windowMs = windowSeconds * 1000;
  const leases = new Map<string, Lease>();
  let swept = 0;

  const sweep = (window: number) => {
    if (window === swept) return;
    swept = window;
    for (const [id, lease] of leases) if (lease.window < window - 1) leases.delete(id);
  };

  async function decide(connectionId: string, lease: Lease, window: number): Promise<boolean> {
    if (lease.window !== window) {
      const carried = lease.window === window - 1 ? lease.used : 1;
      Object.assign(lease, {
        window,
        left: 0,
        used: 0,
        next: Math.min(MAX_LEASE, Math.max(1, carried)),
        tight: false,
        spent: false,
      });
    }
    if (lease.spent) return false;
    if (lease.left === 0) {
      let taken = await counter.take(connectionId, window, lease.next);
      if (!taken && lease.next > 1) {
        // The lease no longer fits: the rest of this window goes one frame at a time.
        lease.next = 1;
        lease.tight = true;
        taken = await counter.take(connectionId, window, 1);
      }
      if (!taken) {
        lease.spent = true;
        return false;
      }
      lease.left = lease.next;
      if (!lease.tight) lease.next = Math.min(MAX_LEASE, lease.next * 2);
    }
    lease.left -= 1;
    lease.used += 1;
    return true;
  }

  return {
    allow(connectionId, now) {
      const window = Math.floor(now / windowMs);
      sweep(window);
      let lease = leases.get(connectionId);
      if (!lease) {
        lease = { window, left: 0, used: 0, next: 1, tight: false, spent: false, turn: Promise.resolve() };
        leases.set(connectionId, lease);
      }
      const current = lease;
      const decision = current.turn.then(() => decide(connectionId, current, window));
      current.turn = decision.catch(() => undefined);
      return decision;
    },
  };
}
