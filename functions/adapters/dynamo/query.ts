import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../../shared/appointments';
import type { DynamoTable } from './client';
import { decodeCursor, encodeCursor, invalidCursor } from './cursor';

/**
 * Runs a Query until `limit` items passed the filter or the partition ends; the cursor then points
 * right after the last returned item.
 */
export async function queryPage<T>(
  table: DynamoTable,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  partition: { attribute: string; value: string },
  cursor: string | undefined,
  limit: number,
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const items: T[] = [];
  const keyAttributes = input.IndexName
    ? ['pk', 'sk', `${input.IndexName}pk`, `${input.IndexName}sk`]
    : ['pk', 'sk'];
  let startKey: Record<string, unknown> | undefined = decodeCursor(cursor, keyAttributes, partition);
  do {
    let result;
    try {
      result = await table.client.send(
        new QueryCommand({
          ...input,
          TableName: table.name,
          Limit: limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
    } catch (err) {
      // A well-formed cursor DynamoDB still refuses (e.g. keys outside the range) is the client's.
      if (cursor && (err as Error).name === 'ValidationException') throw invalidCursor();
      throw err;
    }
    items.push(...(result.Items ?? []).map(map));
    startKey = result.LastEvaluatedKey;
  } while (startKey && items.length < limit);
  return { items, nextCursor: encodeCursor(startKey) };
}
