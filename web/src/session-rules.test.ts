import { describe, expect, it } from 'vitest';
import { idlePhase, idleSignOutNotice, maxSessionMs, parseStamp, sessionEnd } from './session-rules';

const rules = { idleMs: 15 * 60_000, maxMs: 12 * 3_600_000 };
const t0 = Date.parse('2026-11-30T08:00:00Z');

describe('session rules', () => {
  it('keeps a session while there was activity within the idle timeout', () => {
    expect(sessionEnd({ startedAt: t0, seenAt: t0 }, t0 + 14 * 60_000, rules)).toBeUndefined();
    expect(
      sessionEnd({ startedAt: t0, seenAt: t0 + 11 * 3_600_000 }, t0 + 11.2 * 3_600_000, rules),
    ).toBeUndefined();
  });

  it('ends it after the idle timeout (idle), after the maximum length or without a stamp (over)', () => {
    expect(sessionEnd({ startedAt: t0, seenAt: t0 }, t0 + 15 * 60_000, rules)).toBe('idle');
    expect(sessionEnd({ startedAt: t0, seenAt: t0 + 12 * 3_600_000 }, t0 + 12 * 3_600_000 + 1, rules)).toBe(
      'over',
    );
    expect(sessionEnd(undefined, t0, rules)).toBe('over');
    expect(sessionEnd({ startedAt: t0 + 3_600_000, seenAt: t0 }, t0, rules)).toBe('over');
  });

  it('lasts 12 hours for staff and 7 days for patients', () => {
    expect(maxSessionMs(['doctor'])).toBe(12 * 3_600_000);
    expect(maxSessionMs(['admin'])).toBe(12 * 3_600_000);
    expect(maxSessionMs(['patient'])).toBe(7 * 86_400_000);
    // Unknown groups get the shorter maximum.
    expect(maxSessionMs([])).toBe(12 * 3_600_000);
    const patientRules = { idleMs: rules.idleMs, maxMs: maxSessionMs(['patient']) };
    const day3 = t0 + 3 * 86_400_000;
    expect(sessionEnd({ startedAt: t0, seenAt: day3 }, day3 + 60_000, patientRules)).toBeUndefined();
    expect(sessionEnd({ startedAt: t0, seenAt: day3 }, day3 + 60_000, rules)).toBe('over');
  });

  it('warns in the final minute with a countdown, then ends', () => {
    const idle = { idleMs: 15 * 60_000, warningMs: 60_000 };
    expect(idlePhase(t0, t0 + 13 * 60_000, idle)).toEqual({ kind: 'active' });
    expect(idlePhase(t0, t0 + 14 * 60_000, idle)).toEqual({ kind: 'warning', secondsLeft: 60 });
    expect(idlePhase(t0, t0 + 14 * 60_000 + 30_500, idle)).toEqual({ kind: 'warning', secondsLeft: 30 });
    expect(idlePhase(t0, t0 + 15 * 60_000 - 1, idle)).toEqual({ kind: 'warning', secondsLeft: 1 });
    expect(idlePhase(t0, t0 + 15 * 60_000, idle)).toEqual({ kind: 'expired' });
  });

  it('tells the idle time in minutes, or seconds when shortened', () => {
    expect(idleSignOutNotice(900)).toBe('You were signed out after 15 minutes without activity');
    expect(idleSignOutNotice(60)).toBe('You were signed out after 1 minute without activity');
    expect(idleSignOutNotice(8)).toBe('You were signed out after 8 seconds without activity');
  });

  it('reads only well-formed stamps', () => {
    expect(parseStamp(JSON.stringify({ startedAt: 1, seenAt: 2 }))).toEqual({ startedAt: 1, seenAt: 2 });
    expect(parseStamp('{"startedAt":"x"}')).toBeUndefined();
    expect(parseStamp('not json')).toBeUndefined();
    expect(parseStamp(null)).toBeUndefined();
  });
});
