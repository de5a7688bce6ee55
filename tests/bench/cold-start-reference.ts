/**
 * The conventional reference for tests/bench/cold-start.ts: a handler as commonly written with
 * DynamoDB's DocumentClient, middy, the Powertools logger and zod, bundled like ours. Never deployed.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';

const logger = new Logger({ serviceName: 'reference' });
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const Params = z.object({ id: z.string().min(1).max(64) });

export const handler = middy(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const params = Params.safeParse(event.pathParameters ?? {});
  if (!params.success) return { statusCode: 400, body: JSON.stringify({ error: params.error.issues }) };
  const { Item } = await client.send(
    new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: `ITEM#${params.data.id}`, sk: 'ITEM' } }),
  );
  logger.info('read', { found: Item !== undefined });
  return Item ? { statusCode: 200, body: JSON.stringify(Item) } : { statusCode: 404, body: '{}' };
}).use(injectLambdaContext(logger));
