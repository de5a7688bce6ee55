import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SentTexts } from '../../core/ports';
import type { DynamoTable } from './client';

/** Redeliveries of a text come within the queue's retention (4 days); two weeks is ample. */
const KEEP_SECONDS = 14 * 86_400;
const sentKey = (textId: string) => ({ pk: `TEXT#${textId}`, sk: 'SENT' });

/** One item per text that went out: ids and a time only, gone by TTL. */
export function dynamoSentTexts(table: DynamoTable): SentTexts {
  return {
    async wasSent(textId) {
      const { Item } = await table.client.send(
        new GetCommand({ TableName: table.name, Key: sentKey(textId), ConsistentRead: true }),
      );
      return Item !== undefined;
    },
    async markSent(textId, at) {
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: {
            ...sentKey(textId),
            type: 'sentText',
            sentAt: at.toISOString(),
            expiresAt: Math.ceil(at.getTime() / 1000) + KEEP_SECONDS,
          },
        }),
      );
    },
  };
}
