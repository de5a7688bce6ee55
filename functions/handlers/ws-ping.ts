import { wsArea } from '../adapters/wiring/ws';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

/** Heartbeat: keeps API Gateway's 10-minute idle timeout from closing a quiet connection. */
export const { area, create, handler } = lambdaHandler(wsArea, (deps) =>
  ws(wsRoutes.ping, deps.ws, async ({ connectionId, frame }) => {
    await deps.ws.reply(connectionId, { type: 'pong', id: frame.id, at: new Date().toISOString() });
  }),
);
