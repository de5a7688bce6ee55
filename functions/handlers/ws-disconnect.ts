import type { APIGatewayProxyResult } from 'aws-lambda';
import { dynamoConnections } from '../adapters/dynamo/connections';
import type { WsEvent } from '../lib/ws';

export async function handler(event: WsEvent): Promise<APIGatewayProxyResult> {
  await dynamoConnections.delete(event.requestContext.connectionId);
  return { statusCode: 200, body: '' };
}
