import type { APIGatewayProxyResult } from 'aws-lambda';
import { openConnection } from '../core/connections';
import { connectionDeps } from '../adapters/wiring/ws';
import type { WsEvent } from '../lib/ws';
import { logger } from '../lib/logger';

export async function handler(event: WsEvent): Promise<APIGatewayProxyResult> {
  const { connectionId, authorizer } = event.requestContext;
  const role = authorizer?.role;
  if (!authorizer?.userId || (role !== 'patient' && role !== 'doctor' && role !== 'admin')) {
    return { statusCode: 403, body: '' };
  }
  await openConnection({ userId: authorizer.userId, role }, connectionId, connectionDeps);
  logger.info('ws connected', { connectionId, role });
  return { statusCode: 200, body: '' };
}
