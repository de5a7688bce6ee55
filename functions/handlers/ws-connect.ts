import type { APIGatewayProxyResult } from 'aws-lambda';
import { dynamoConnections } from '../adapters/dynamo/connections';
import type { WsEvent } from '../lib/ws';
import { logger } from '../lib/logger';

/** API Gateway closes every WebSocket after two hours; the record expires with it. */
const MAX_CONNECTION_SECONDS = 2 * 60 * 60;

export async function handler(event: WsEvent): Promise<APIGatewayProxyResult> {
  const { connectionId, authorizer } = event.requestContext;
  const role = authorizer?.role;
  if (!authorizer?.userId || (role !== 'patient' && role !== 'doctor' && role !== 'admin')) {
    return { statusCode: 403, body: '' };
  }
  const now = Date.now();
  await dynamoConnections.put({
    connectionId,
    userId: authorizer.userId,
    role,
    connectedAt: new Date(now).toISOString(),
    expiresAt: Math.floor(now / 1000) + MAX_CONNECTION_SECONDS,
  });
  logger.info('ws connected', { connectionId, role });
  return { statusCode: 200, body: '' };
}
