import { TooManyRequests } from './errors';
import type { Clock, RateLimit, RateLimiter } from './ports';

export interface RateLimitDeps {
  rateLimiter: RateLimiter;
  clock: Clock;
}

/** Counts one request against `key`; beyond the limit, a TooManyRequests saying when to retry. */
export async function enforceRateLimit(key: string, limit: RateLimit, deps: RateLimitDeps): Promise<void> {
  const retryAfterSeconds = await deps.rateLimiter.take(key, limit, deps.clock.now().getTime());
  if (retryAfterSeconds !== undefined) {
    throw new TooManyRequests(
      `Too many requests. Try again in ${retryAfterSeconds} seconds.`,
      retryAfterSeconds,
    );
  }
}

/**
 * GCRA (generic cell rate algorithm): `tat` is the theoretical arrival time of the next request.
 * A request is allowed while `tat` runs at most `tolerance` ahead of now. Pure, so the DynamoDB
 * adapter's conditions and the in-memory fake follow the same rule.
 */
export function gcraStep(
  tat: number | undefined,
  limit: RateLimit,
  now: number,
): { allowed: true; tat: number } | { allowed: false; retryAfterSeconds: number } {
  const interval = (limit.periodSeconds * 1000) / limit.count;
  const tolerance = (limit.count - 1) * interval;
  const base = tat === undefined || tat < now ? now : tat;
  if (base - now > tolerance) {
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((base - tolerance - now) / 1000)) };
  }
  return { allowed: true, tat: base + interval };
}
