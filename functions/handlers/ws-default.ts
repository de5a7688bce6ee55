import { wsDeps } from '../adapters/wiring/ws';
import { HttpError } from '../lib/errors';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

/** Frames whose `action` matches no route (or that are not JSON) land here. */
export const handler = ws(wsRoutes.fallback, wsDeps, async () => {
  throw new HttpError(400, 'unknown_action', 'Unknown or missing action');
});
