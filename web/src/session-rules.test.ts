import { describe, expect, it } from 'vitest';
import { parseStamp, sessionExpired } from './session-rules';

const rules = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };
const t0 = Date.parse('2026-11-30T08:00:00Z');

describe('session rules', () => {
  it('keeps a session while a tab was open within the idle timeout', () => {
    expect(sessionExpired({ startedAt: t0, seenAt: t0 }, t0 + 29 * 60_000, rules)).toBe(false);
    expect(sessionExpired({ startedAt: t0, seenAt: t0 + 11 * 3_600_000 }, t0 + 11.5 * 3_600_000, rules)).toBe(
      false,
    );
  });

  it('ends it after the idle timeout, after the maximum length, or without a stamp', () => {
    expect(sessionExpired({ startedAt: t0, seenAt: t0 }, t0 + 31 * 60_000, rules)).toBe(true);
    expect(
      sessionExpired({ startedAt: t0, seenAt: t0 + 12 * 3_600_000 }, t0 + 12 * 3_600_000 + 1, rules),
    ).toBe(true);
    expect(sessionExpired(undefined, t0, rules)).toBe(true);
    expect(sessionExpired({ startedAt: t0 + 3_600_000, seenAt: t0 }, t0, rules)).toBe(true);
  });

  it('reads only well-formed stamps', () => {
    expect(parseStamp(JSON.stringify({ startedAt: 1, seenAt: 2 }))).toEqual({ startedAt: 1, seenAt: 2 });
    expect(parseStamp('{"startedAt":"x"}')).toBeUndefined();
    expect(parseStamp('not json')).toBeUndefined();
    expect(parseStamp(null)).toBeUndefined();
  });
});
