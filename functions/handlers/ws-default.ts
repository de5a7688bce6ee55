import { dynamoConnections } from '../adapters/dynamo/connections';
import { sendFrame } from '../adapters/realtime';
import { HttpError } from '../lib/errors';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

const reply = (connectionId: string, frame: unknown) =>
  sendFrame(connectionId, frame, dynamoConnections.delete);

/** Frames whose `action` matches no route (or that are not JSON) land here. */
export const handler = ws(wsRoutes.fallback, reply, async () => {
  throw new HttpError(400, 'unknown_action', 'Unknown or missing action');
});
