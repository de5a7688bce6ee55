import { describe, expect, it } from 'vitest';
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
