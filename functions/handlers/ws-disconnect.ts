import type { APIGatewayProxyResult } from 'aws-lambda';
import { connectionClosed } from '../core/live';
import { liveArea } from '../adapters/wiring/live';
import { lambdaHandler } from '../adapters/wiring/lambda';
import type { WsEvent } from '../lib/ws';

export const { area, create, handler } = lambdaHandler(
  liveArea,
  (deps) =>
    async function disconnect(event: WsEvent): Promise<APIGatewayProxyResult> {
      await connectionClosed(event.requestContext.connectionId, deps);
      return { statusCode: 200, body: '' };
    },
);
