import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SentTexts, TextState } from '../../core/ports';
import type { DynamoTable } from './client';

/** Redeliveries of a text come within the queue's retention (4 days); two weeks is ample. */
const KEEP_SECONDS = 14 * 86_400;
const textKey = (textId: string) => ({ pk: `TEXT#${textId}`, sk: 'SENT' });
const expiresAt = (at: Date) => Math.ceil(at.getTime() / 1000) + KEEP_SECONDS;

/**
 * Where a text stands, as the sender left it (the local queue shows a refused text as failed).
 * Items written before texts had a state were written once sent: a missing state reads as `sent`.
 */
export async function textState(table: DynamoTable, textId: string): Promise<TextState | undefined> {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.name, Key: textKey(textId), ConsistentRead: true }),
  );
  return Item ? ((Item.state as TextState | undefined) ?? 'sent') : undefined;
}

/** One item per text: ids, a state and a time only, gone by TTL. */
export function dynamoSentTexts(table: DynamoTable): SentTexts {
  return {
    async claim(textId, at) {
      try {
        await table.client.send(
          new PutCommand({
            TableName: table.name,
            Item: {
              ...textKey(textId),
              type: 'sentText',
              state: 'sending',
              at: at.toISOString(),
              expiresAt: expiresAt(at),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return undefined;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        // Gone between the write and this read (released by another delivery): at most once.
        return (await textState(table, textId)) ?? 'sending';
      }
    },
    async settle(textId, state, at) {
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: {
            ...textKey(textId),
            type: 'sentText',
            state,
            at: at.toISOString(),
            expiresAt: expiresAt(at),
          },
        }),
      );
    },
    async release(textId) {
      await table.client.send(new DeleteCommand({ TableName: table.name, Key: textKey(textId) }));
    },
  };
}
