import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { sendFrame } from '../../../functions/adapters/realtime';
import { localConnections, MAX_WS_FRAME_BYTES } from './connections';

function fakeSocket() {
  const sent: string[] = [];
  const closed: number[] = [];
  const socket = {
    send: (data: string) => void sent.push(data),
    close: (code: number) => void closed.push(code),
  } as unknown as WebSocket;
  return { socket, sent, closed };
}

describe('the local @connections API, in process', () => {
  it('posts to and closes an open connection directly', async () => {
    const connections = localConnections();
    const s = fakeSocket();
    connections.add('c-1', { socket: s.socket, authorizer: {}, connectedAt: 0 });
    await connections.api.post('c-1', '{"type":"pong"}');
    expect(s.sent).toEqual(['{"type":"pong"}']);
    await connections.api.delete('c-1');
    expect(s.closed).toEqual([1000]);
  });

  it('answers a connection that is gone as API Gateway does, so senders forget it', async () => {
    const connections = localConnections();
    const s = fakeSocket();
    connections.add('c-2', { socket: s.socket, authorizer: {}, connectedAt: 0 });
    connections.remove('c-2');
    await expect(connections.api.post('c-2', '{}')).rejects.toMatchObject({ name: 'GoneException' });
    await expect(connections.api.delete('c-2')).rejects.toMatchObject({ name: 'GoneException' });
    const forgotten: string[] = [];
    expect(
      await sendFrame('c-2', { type: 'pong' }, async (id) => void forgotten.push(id), connections.api),
    ).toBe(false);
    expect(forgotten).toEqual(['c-2']);
  });

  it("refuses a frame over API Gateway's 128 KB", async () => {
    const connections = localConnections();
    const s = fakeSocket();
    connections.add('c-3', { socket: s.socket, authorizer: {}, connectedAt: 0 });
    await expect(connections.api.post('c-3', 'x'.repeat(MAX_WS_FRAME_BYTES + 1))).rejects.toMatchObject({
      name: 'PayloadTooLargeException',
    });
    expect(s.sent).toEqual([]);
  });
});
