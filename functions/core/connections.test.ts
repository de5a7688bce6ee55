import { describe, expect, it } from 'vitest';
import { MAX_CONNECTION_SECONDS, openConnection } from './connections';
import type { ConnectionRecord } from './ports';

describe('openConnection', () => {
  it('records who is on the connection until API Gateway would close it', async () => {
    const opened: ConnectionRecord[] = [];
    const now = new Date('2026-03-02T10:00:00.500Z');
    await openConnection({ userId: 'pat', role: 'patient' }, 'conn-1', {
      connections: { open: async (record) => void opened.push(record) },
      clock: { now: () => now },
    });
    expect(opened).toEqual([
      {
        connectionId: 'conn-1',
        userId: 'pat',
        role: 'patient',
        connectedAt: '2026-03-02T10:00:00.500Z',
        expiresAt: Math.floor(now.getTime() / 1000) + MAX_CONNECTION_SECONDS,
      },
    ]);
    expect(MAX_CONNECTION_SECONDS).toBe(7200);
  });
});
