import { wsDeps } from '../adapters/wiring/ws';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

/** Heartbeat: keeps API Gateway's 10-minute idle timeout from closing a quiet connection. */
export const handler = ws(wsRoutes.ping, wsDeps, async ({ connectionId, frame }) => {
  await wsDeps.reply(connectionId, { type: 'pong', id: frame.id, at: new Date().toISOString() });
});
