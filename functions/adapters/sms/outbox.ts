import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxMessage, Page } from '../../../shared/appointments';
import type { SmsSender } from '../../core/ports';
import { documentClient, tableName } from '../dynamo/client';
import { decodeCursor, encodeCursor } from '../dynamo/cursor';

/** Locally (no Twilio credentials) texts land here, for the development page and the console. */
export const outboxSms: SmsSender = {
  async send(message) {
    const createdAt = new Date().toISOString();
    const messageId = randomUUID();
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: 'OUTBOX',
          sk: `${createdAt}#${messageId}`,
          type: 'sms',
          messageId,
          createdAt,
          ...message,
        },
      }),
    );
    // Development console only; the number is masked even here.
    console.log(`[sms outbox] to …${message.to.slice(-4)} (${message.kind}): ${message.body}`);
  },
};

export async function listOutbox(cursor: string | undefined, limit: number): Promise<Page<OutboxMessage>> {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'OUTBOX' },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, 'pk', 'OUTBOX'),
    }),
  );
  return {
    items: (result.Items ?? []).map((item) => ({
      messageId: String(item.messageId),
      to: String(item.to),
      body: String(item.body),
      kind: String(item.kind),
      appointmentId: item.appointmentId ? String(item.appointmentId) : undefined,
      createdAt: String(item.createdAt),
    })),
    nextCursor: encodeCursor(result.LastEvaluatedKey),
  };
}
