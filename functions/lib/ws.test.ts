import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '../../shared/live';
import { wsRoutes } from '../routes';
import { logger } from './logger';
import { ws, type WsEvent } from './ws';

const context = { awsRequestId: 'aws-req-1' } as Context;

function frameEvent(correlationId?: string, body: unknown = { action: 'ping', id: 'p1' }): WsEvent {
  return {
    body: JSON.stringify(body),
    requestContext: {
      connectionId: 'conn-1',
      requestId: 'ws-req-1',
      authorizer: { userId: 'user-1', role: 'patient', ...(correlationId ? { correlationId } : {}) },
    },
  } as unknown as WsEvent;
}

/** JSON log lines written while `run` runs (tests run the logger SILENT; these look at the lines). */
async function logLines(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const level = logger.getLevelName();
  logger.setLogLevel('INFO');
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  // Errors go to stderr, the rest to stdout.
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
    logger.setLogLevel(level);
  }
  return chunks
    .flatMap((c) => c.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

describe('the ws wrapper', () => {
  it("logs every line of an action with its connection's correlation id and the request id", async () => {
    const replies: ServerFrame[] = [];
    const handler = ws(
      wsRoutes.fallback,
      { reply: async (_id, frame) => void replies.push(frame) },
      async () => {
        logger.info('inside the action');
        throw new Error('boom');
      },
    );
    const lines = await logLines(() => handler(frameEvent('page-9'), context));
    for (const message of ['inside the action', 'unhandled ws error', 'ws frame']) {
      expect(
        lines.find((l) => l.message === message),
        message,
      ).toMatchObject({
        correlationId: 'page-9',
        requestId: 'ws-req-1',
      });
    }
    expect(replies).toEqual([expect.objectContaining({ type: 'error', code: 'internal_error' })]);
  });

  it('uses a fresh id when the connection has none', async () => {
    const handler = ws(wsRoutes.ping, { reply: async () => undefined }, async () => undefined);
    const lines = await logLines(() => handler(frameEvent(), context));
    expect(lines.find((l) => l.message === 'ws frame')?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a two-way route with its route response: no @connections call, no frame counted', async () => {
    const reply = vi.fn(async () => undefined);
    const allowFrame = vi.fn(async () => true);
    const handler = ws(wsRoutes.ping, { reply, allowFrame }, async ({ frame }) => ({
      type: 'pong',
      id: frame.id,
      at: 'now',
    }));
    expect(wsRoutes.ping.routeResponse).toBe(true);
    const answer = await handler(frameEvent(), context);
    expect(JSON.parse(answer.body)).toEqual({ type: 'pong', id: 'p1', at: 'now' });
    expect(reply).not.toHaveBeenCalled();
    // The wrapper still honours a limiter it is given; the ping handler is given none (below).
    expect(allowFrame).toHaveBeenCalledTimes(1);
  });

  it('sends what a one-way route returns through @connections, with an empty response', async () => {
    const replies: ServerFrame[] = [];
    const handler = ws(wsRoutes.fallback, { reply: async (_id, f) => void replies.push(f) }, async () => ({
      type: 'pong',
      at: 'now',
    }));
    const answer = await handler(frameEvent(undefined, { action: 'x' }), context);
    expect(answer.body).toBe('');
    expect(replies).toEqual([{ type: 'pong', at: 'now' }]);
  });
});
