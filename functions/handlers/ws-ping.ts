import { dynamoConnections } from '../adapters/dynamo/connections';
import { sendFrame } from '../adapters/realtime';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

const reply = (connectionId: string, frame: unknown) =>
  sendFrame(connectionId, frame, dynamoConnections.delete);

export const handler = ws(wsRoutes.ping, reply, async ({ connectionId, frame }) => {
  await reply(connectionId, { type: 'pong', id: frame.id, at: new Date().toISOString() });
});
