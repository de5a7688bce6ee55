import type { APIGatewayProxyResult } from 'aws-lambda';
import { openConnection } from '../core/connections';
import { wsArea } from '../adapters/wiring/ws';
import { lambdaHandler } from '../adapters/wiring/lambda';
import type { WsEvent } from '../lib/ws';
import { logger } from '../lib/logger';

export const { area, create, handler } = lambdaHandler(
  wsArea,
  (deps) =>
    async function connect(event: WsEvent): Promise<APIGatewayProxyResult> {
      const { connectionId, authorizer } = event.requestContext;
      const role = authorizer?.role;
      const known = role === 'patient' || role === 'doctor' || role === 'admin' || role === 'guest';
      if (!authorizer?.userId || !known) return { statusCode: 403, body: '' };
      await openConnection({ userId: authorizer.userId, role }, connectionId, deps.connections);
      logger.info('ws connected', { connectionId, role });
      return { statusCode: 200, body: '' };
    },
);
