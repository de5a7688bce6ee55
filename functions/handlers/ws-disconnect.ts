import type { APIGatewayProxyResult } from 'aws-lambda';
import { connectionClosed } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import type { WsEvent } from '../lib/ws';

export async function handler(event: WsEvent): Promise<APIGatewayProxyResult> {
  await connectionClosed(event.requestContext.connectionId, liveDeps);
  return { statusCode: 200, body: '' };
}
