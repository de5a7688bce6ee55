import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SentTexts, TextState } from '../../core/ports';
import type { DynamoTable } from './client';

/** Redeliveries of a text come within the queue's retention (4 days); two weeks is ample. */
const KEEP_SECONDS = 14 * 86_400;
const textKey = (textId: string) => ({ pk: `TEXT#${textId}`, sk: 'SENT' });
const expiresAt = (at: Date) => Math.ceil(at.getTime() / 1000) + KEEP_SECONDS;
/** The provider's id of an accepted text (Twilio's Message SID), for its delivery reports. */
const providerKey = (providerId: string) => ({ gsi1pk: `TEXTSID#${providerId}`, gsi1sk: 'SENT' });

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

/**
 * One item per text: ids, a state and a time only, gone by TTL; once accepted also the provider's
 * id (indexed) and its latest delivery report (`delivery`, `deliveryStage`, `errorCode`).
 */
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
    async settle(textId, state, at, providerId) {
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: {
            ...textKey(textId),
            ...(providerId ? { ...providerKey(providerId), providerId } : {}),
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
    async recordDelivery(providerId, report) {
      const { Items = [] } = await table.client.send(
        new QueryCommand({
          TableName: table.name,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': providerKey(providerId).gsi1pk },
          ProjectionExpression: 'pk, sk',
        }),
      );
      const [item] = Items;
      if (!item) return false;
      try {
        await table.client.send(
          new UpdateCommand({
            TableName: table.name,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression:
              report.errorCode === undefined
                ? 'SET delivery = :status, deliveryStage = :stage, deliveredAt = :at REMOVE errorCode'
                : 'SET delivery = :status, deliveryStage = :stage, deliveredAt = :at, errorCode = :code',
            // Reports arrive out of order: a later stage kept already stays.
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(deliveryStage) OR deliveryStage < :stage)',
            ExpressionAttributeValues: {
              ':status': report.status,
              ':stage': report.stage,
              ':at': report.at.toISOString(),
              ...(report.errorCode === undefined ? {} : { ':code': report.errorCode }),
            },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
      return true;
    },
  };
}
