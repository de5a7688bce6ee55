import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PhoneCodeStore } from '../../core/ports';
import type { DynamoTable } from './client';

const key = (userId: string) => ({ pk: `USER#${userId}`, sk: 'PHONE_CODE' });

/** One pending phone code per user (a hash, never the code); gone by TTL once expired. */
export function dynamoPhoneCodes(table: DynamoTable): PhoneCodeStore {
  const { client, name: TableName } = table;
  return {
    async put(code) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...key(code.userId),
            type: 'phoneCode',
            phone: code.phone,
            codeHash: code.codeHash,
            codeExpiresAt: code.expiresAt,
            attempts: code.attempts,
            expiresAt: Math.ceil(Date.parse(code.expiresAt) / 1000),
          },
        }),
      );
    },
    async get(userId) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: key(userId), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      return {
        userId,
        phone: String(Item.phone),
        codeHash: String(Item.codeHash),
        expiresAt: String(Item.codeExpiresAt),
        attempts: Number(Item.attempts),
      };
    },
    async takeAttempt(userId, max) {
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: key(userId),
            UpdateExpression: 'ADD attempts :one',
            ConditionExpression: 'attribute_exists(pk) AND attempts < :max',
            ExpressionAttributeValues: { ':one': 1, ':max': max },
          }),
        );
        return true;
      } catch (err) {
        if ((err as Error).name === 'ConditionalCheckFailedException') return false;
        throw err;
      }
    },
    async delete(userId) {
      await client.send(new DeleteCommand({ TableName, Key: key(userId) }));
    },
  };
}
