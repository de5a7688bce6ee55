import { wsArea } from '../adapters/wiring/ws';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { HttpError } from '../lib/errors';
import { ws } from '../lib/ws';
import { wsRoutes } from '../ws-routes';

/** Frames whose `action` matches no route (or that are not JSON) land here. */
export const { area, create, handler } = lambdaHandler(wsArea, (deps) =>
  ws(wsRoutes.fallback, deps.ws, async () => {
    throw new HttpError(400, 'unknown_action', 'Unknown or missing action');
  }),
);
