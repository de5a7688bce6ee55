import { describe, expect, it } from 'vitest';
import { readAuditTrail } from './audit';
import { readOutbox, type OutboxDeps } from './outbox';

describe('readOutbox', () => {
  const asked: (string | undefined)[] = [];
  const deps: OutboxDeps = {
    outbox: {
      list: async (recipientId) => {
        asked.push(recipientId);
        return { items: [] };
      },
    },
  };

  it('shows an admin every text and anyone else only their own', async () => {
    await readOutbox({ userId: 'admin-1', role: 'admin' }, undefined, 20, deps);
    await readOutbox({ userId: 'pat', role: 'patient' }, undefined, 20, deps);
    await readOutbox({ userId: 'doc', role: 'doctor' }, undefined, 20, deps);
    expect(asked).toEqual([undefined, 'pat', 'doc']);
  });
});

describe('readAuditTrail', () => {
  it('reads one day of the trail with the given page', async () => {
    const calls: unknown[] = [];
    const page = await readAuditTrail('2026-03-02', 'c1', 10, {
      auditTrail: {
        day: async (...args) => {
          calls.push(args);
          return { items: [{ at: '2026-03-02T10:00:00Z', action: 'x', actorId: 'a' }] };
        },
      },
    });
    expect(calls).toEqual([['2026-03-02', 'c1', 10]]);
    expect(page.items).toHaveLength(1);
  });
});
