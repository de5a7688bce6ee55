import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SessionStore } from '../../core/ports';
import type { DynamoTable } from './client';

/** One item per user who ever signed out everywhere: USER#<id> / SESSIONS, `validAfter` in epoch seconds. */
export const sessionsKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'SESSIONS' });

export function dynamoSessions(table: DynamoTable): SessionStore {
  return {
    async validAfter(userId) {
      const { Item } = await table.client.send(
        new GetCommand({
          TableName: table.name,
          Key: sessionsKey(userId),
          ProjectionExpression: 'validAfter',
        }),
      );
      return typeof Item?.validAfter === 'number' ? Item.validAfter : undefined;
    },
    async endSessions(userId, validAfter) {
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: { ...sessionsKey(userId), type: 'sessions', userId, validAfter },
        }),
      );
    },
  };
}
