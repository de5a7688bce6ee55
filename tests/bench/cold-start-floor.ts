/**
 * A floor for tests/bench/cold-start.ts: only the DynamoDB DocumentClient, created as our adapters
 * create it and bundled as ours are (credentials from the environment, docs/adr/0018-cold-start.md).
 * Every function that reads or writes the table carries at least this. Never deployed.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { id: string }) => {
  const { Item } = await client.send(
    new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: `ITEM#${event.id}`, sk: 'ITEM' } }),
  );
  return Item ?? null;
};
