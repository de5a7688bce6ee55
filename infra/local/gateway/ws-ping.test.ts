/** The heartbeat the local gateway runs (websocket.ts sends a two-way route's response back). */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { create } from '../../../functions/handlers/ws-ping';
import type { WsEvent } from '../../../functions/lib/ws';

const context = { awsRequestId: 'aws-req-1' } as Context;
const frameEvent = (body: unknown) =>
  ({
    body: JSON.stringify(body),
    requestContext: {
      connectionId: 'conn-1',
      requestId: 'ws-req-1',
      authorizer: { userId: 'user-1', role: 'patient' },
    },
  }) as unknown as WsEvent;

describe('the ping handler', () => {
  it('needs no dependencies at all (no table, no @connections) and answers in its route response', async () => {
    const ping = create({});
    const pong = JSON.parse((await ping(frameEvent({ action: 'ping', id: 'p1' }), context)).body);
    expect(pong).toMatchObject({ type: 'pong', id: 'p1', at: expect.any(String) });
  });

  it('answers a refusal in the route response too', async () => {
    const ping = create({});
    const refused = JSON.parse((await ping(frameEvent({ action: 'ping', id: 7 }), context)).body);
    expect(refused).toMatchObject({ type: 'error', code: 'validation_failed' });
  });
});
