/** Composition root for the WebSocket API: replies via @connections, the frame rate limit, $connect. */
import type { ConnectionDeps } from '../../core/connections';
import { systemClock } from '../../core/ports';
import type { WsDeps } from '../../lib/ws';
import { dynamoConnections, dynamoFrameRateLimiter } from '../dynamo/connections';
import { sendFrame } from '../realtime';

export const wsDeps: WsDeps = {
  reply: (connectionId, frame) => sendFrame(connectionId, frame, dynamoConnections.delete),
  allowFrame: (connectionId, now) => dynamoFrameRateLimiter.allow(connectionId, now),
};

export const connectionDeps: ConnectionDeps = {
  connections: { open: (record) => dynamoConnections.put(record) },
  clock: systemClock,
};
