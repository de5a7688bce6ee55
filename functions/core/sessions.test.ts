import { describe, expect, it } from 'vitest';
import type { AuditEntry, ConnectionRecord } from './ports';
import { cachedSessions, sessionIsCurrent, signOutEverywhere, withinSessionMaximum } from './sessions';
import { inMemorySessionStore } from './testing/in-memory';

const patient = { userId: 'p1', email: 'p@example.com', role: 'patient' as const };

describe('sessionIsCurrent', () => {
  it('lets every sign-in through until the user signs out everywhere', () => {
    expect(sessionIsCurrent(1000, undefined)).toBe(true);
    expect(sessionIsCurrent(undefined, undefined)).toBe(true);
  });

  it('refuses sign-ins up to and including the second of the sign-out, and one without a time', () => {
    expect(sessionIsCurrent(999, 1000)).toBe(false);
    expect(sessionIsCurrent(1000, 1000)).toBe(false);
    expect(sessionIsCurrent(1001, 1000)).toBe(true);
    expect(sessionIsCurrent(undefined, 1000)).toBe(false);
  });
});

describe('withinSessionMaximum', () => {
  const now = 1_800_000_000;
  const hours = (h: number) => now - h * 3600;

  it('lets staff sign-ins through for 12 hours, then refuses them', () => {
    for (const role of ['doctor', 'admin'] as const) {
      expect(withinSessionMaximum({ role, authenticatedAt: hours(11.9) }, now)).toBe(true);
      expect(withinSessionMaximum({ role, authenticatedAt: hours(12) }, now)).toBe(true);
      expect(withinSessionMaximum({ role, authenticatedAt: hours(12) - 1 }, now)).toBe(false);
      expect(withinSessionMaximum({ role, authenticatedAt: undefined }, now)).toBe(false);
    }
  });

  it('leaves patients to the refresh token validity (7 days)', () => {
    expect(withinSessionMaximum({ role: 'patient', authenticatedAt: hours(13) }, now)).toBe(true);
  });
});

describe('cachedSessions', () => {
  it('reads the store once per user within the time to live, again after it', async () => {
    const mem = inMemorySessionStore();
    let now = 0;
    const sessions = cachedSessions(mem.store, { ttlMs: 1000, now: () => now });
    mem.validAfter.set('p1', 100);
    expect(await sessions.isCurrent('p1', 100)).toBe(false);
    expect(await sessions.isCurrent('p1', 101)).toBe(true);
    expect(mem.reads()).toBe(1);
    mem.validAfter.set('p1', 200); // another container signed the user out
    now = 999;
    expect(await sessions.isCurrent('p1', 150)).toBe(true);
    now = 1000;
    expect(await sessions.isCurrent('p1', 150)).toBe(false);
    expect(mem.reads()).toBe(2);
  });

  it('sees its own sign-out at once, without waiting for the cache', async () => {
    const mem = inMemorySessionStore();
    const sessions = cachedSessions(mem.store, { ttlMs: 60_000, now: () => 0 });
    expect(await sessions.isCurrent('p1', 100)).toBe(true);
    await sessions.endSessions('p1', 100);
    expect(await sessions.isCurrent('p1', 100)).toBe(false);
    expect(mem.validAfter.get('p1')).toBe(100);
  });
});

describe('signOutEverywhere', () => {
  it('ends sessions up to now (in seconds), closes every connection of the user and audits it', async () => {
    const mem = inMemorySessionStore();
    const closed: string[] = [];
    const slept: number[] = [];
    const audit: AuditEntry[] = [];
    const connections: ConnectionRecord[] = ['c1', 'c2'].map((connectionId) => ({
      connectionId,
      userId: 'p1',
      role: 'patient',
      connectedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: 0,
    }));
    const result = await signOutEverywhere(patient, 'req-1', {
      sessions: mem.store,
      connections: { listForUser: async (userId) => connections.filter((c) => c.userId === userId) },
      closer: { close: async (id) => void closed.push(id) },
      audit: { record: async (e) => void audit.push(e) },
      sessionClock: { now: () => new Date(1_700_000_000_900) },
      sleep: async (ms) => void slept.push(ms),
    });
    // It answers once the second of the sign-out is over, so a sign-in after the answer counts.
    expect(slept).toEqual([100]);
    expect(mem.validAfter.get('p1')).toBe(1_700_000_000);
    expect(closed.sort()).toEqual(['c1', 'c2']);
    expect(result).toEqual({ closedConnections: 2 });
    expect(audit).toEqual([
      { action: 'session.signOutEverywhere', actorId: 'p1', targetId: 'p1', requestId: 'req-1' },
    ]);
  });
});
