import { describe, expect, it } from 'vitest';
import { leasedFrameRateLimiter, MAX_LEASE } from './frame-budget';
import type { FrameCounter } from './ports';

const BUDGET = { frames: 80, windowSeconds: 5 };
const WINDOW_MS = BUDGET.windowSeconds * 1000;

/** The shared counter as DynamoDB keeps it: a take fits whole or adds nothing. */
function sharedCounter() {
  const counts = new Map<string, number>();
  const takes: number[] = [];
  const counter: FrameCounter = {
    async take(connectionId, window, frames) {
      const key = `${connectionId}:${window}`;
      const count = counts.get(key) ?? 0;
      takes.push(frames);
      if (count + frames > BUDGET.frames) return false;
      counts.set(key, count + frames);
      return true;
    },
  };
  return {
    counter,
    takes,
    count: (connectionId: string, window: number) => counts.get(`${connectionId}:${window}`) ?? 0,
  };
}

const allowed = (results: boolean[]) => results.filter(Boolean).length;

describe('leasedFrameRateLimiter', () => {
  it('lets one instance use exactly the window budget, frames arriving all at once', async () => {
    const shared = sharedCounter();
    const limiter = leasedFrameRateLimiter(shared.counter, BUDGET.windowSeconds);
    const results = await Promise.all(Array.from({ length: 120 }, () => limiter.allow('c1', 1_000)));
    expect(allowed(results)).toBe(BUDGET.frames);
    expect(shared.count('c1', 0)).toBe(BUDGET.frames);
    // Far fewer writes than frames: leases of up to MAX_LEASE.
    expect(Math.max(...shared.takes)).toBe(MAX_LEASE);
    expect(shared.takes.length).toBeLessThan(BUDGET.frames / 2);
  });

  it('never lets several instances together pass the budget', async () => {
    const shared = sharedCounter();
    const instances = [1, 2, 3].map(() => leasedFrameRateLimiter(shared.counter, BUDGET.windowSeconds));
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => instances[i % 3]!.allow('c1', 2_000 + i)),
    );
    expect(allowed(results)).toBeLessThanOrEqual(BUDGET.frames);
    // What the instances took and did not use is bounded by one lease each.
    expect(allowed(results)).toBeGreaterThanOrEqual(BUDGET.frames - 3 * (MAX_LEASE - 1));
    expect(shared.count('c1', 0)).toBeLessThanOrEqual(BUDGET.frames);
  });

  it('takes one write per window for a connection sending steadily, after the first window', async () => {
    const shared = sharedCounter();
    const limiter = leasedFrameRateLimiter(shared.counter, BUDGET.windowSeconds);
    // 1 frame a second for 20 s: 5 frames in each window.
    for (let second = 0; second < 20; second++) expect(await limiter.allow('c1', second * 1000)).toBe(true);
    // First window: leases of 1, 2 and 4; then one lease of 5 per window.
    expect(shared.takes).toEqual([1, 2, 4, 5, 5, 5]);
  });

  it('starts every window with the full budget, and keeps connections apart', async () => {
    const shared = sharedCounter();
    const limiter = leasedFrameRateLimiter(shared.counter, BUDGET.windowSeconds);
    const burst = (connectionId: string, at: number) =>
      Promise.all(Array.from({ length: 100 }, () => limiter.allow(connectionId, at)));
    expect(allowed(await burst('c1', 0))).toBe(BUDGET.frames);
    expect(allowed(await burst('c2', 0))).toBe(BUDGET.frames);
    expect(await limiter.allow('c1', WINDOW_MS - 1)).toBe(false);
    expect(allowed(await burst('c1', WINDOW_MS))).toBe(BUDGET.frames);
  });

  it('answers a failed take with the error, and decides the next frame afresh', async () => {
    let fail = true;
    const limiter = leasedFrameRateLimiter(
      {
        take: async () => {
          if (fail) throw new Error('ProvisionedThroughputExceededException');
          return true;
        },
      },
      BUDGET.windowSeconds,
    );
    await expect(limiter.allow('c1', 0)).rejects.toThrow('ProvisionedThroughputExceededException');
    fail = false;
    expect(await limiter.allow('c1', 0)).toBe(true);
  });
});
