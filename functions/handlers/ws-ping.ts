import { wsPingArea } from '../adapters/wiring/ws-ping';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { ws } from '../lib/ws';
import { wsRoutes } from '../ws-routes';

/**
 * Heartbeat: keeps API Gateway's 10-minute idle timeout from closing a quiet connection. The pong is
 * the route's response (a two-way route), so a ping costs no table write and no @connections call;
 * it is not counted against the frame budget (API Gateway's route throttle still applies).
 */
export const { area, create, handler } = lambdaHandler(wsPingArea, () =>
  ws(wsRoutes.ping, {}, async ({ frame }) => ({ type: 'pong', id: frame.id, at: new Date().toISOString() })),
);
