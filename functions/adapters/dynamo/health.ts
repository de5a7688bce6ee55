import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoTable } from './client';

/** A fixed key nothing writes: reading it costs one GetItem and proves the table answers. */
export const healthKey = { pk: 'HEALTH', sk: 'HEALTH' } as const;

export function dynamoTableProbe(table: DynamoTable): () => Promise<void> {
  return async () => {
    await table.client.send(
      new GetCommand({ TableName: table.name, Key: healthKey, ProjectionExpression: 'pk' }),
    );
  };
}
