/** What every WebSocket action handler needs: replies via @connections and the frame rate limit. */
import type { WsDeps } from '../lib/ws';
import { dynamoConnections, dynamoFrameRateLimiter } from './dynamo/connections';
import { sendFrame } from './realtime';

export const wsDeps: WsDeps = {
  reply: (connectionId, frame) => sendFrame(connectionId, frame, dynamoConnections.delete),
  allowFrame: (connectionId, now) => dynamoFrameRateLimiter.allow(connectionId, now),
};
