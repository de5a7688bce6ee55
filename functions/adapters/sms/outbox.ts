import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxMessage, Page } from '../../../shared/appointments';
import type { SmsSender } from '../../core/ports';
import type { DynamoTable } from '../dynamo/client';
import { queryPage } from '../dynamo/query';

/**
 * Locally (no Twilio credentials) texts land here, for the development page and the console.
 *   pk OUTBOX  sk <iso>#<messageId>  gsi1pk OUTBOXTO#<recipientId>  gsi1sk <iso>#<messageId>
 */
export function outboxSms(table: DynamoTable): SmsSender {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async send(message) {
      const createdAt = new Date().toISOString();
      const messageId = randomUUID();
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: 'OUTBOX',
            sk: `${createdAt}#${messageId}`,
            gsi1pk: `OUTBOXTO#${message.recipientId}`,
            gsi1sk: `${createdAt}#${messageId}`,
            type: 'sms',
            messageId,
            createdAt,
            ...message,
          },
        }),
      );
      // Development console only: which kind of text went to which masked number, never its body.
      console.log(`[sms outbox] ${message.kind} text to …${message.to.slice(-4)} (see /dev/outbox)`);
    },
  };
}

function toMessage(item: Record<string, unknown>): OutboxMessage {
  return {
    messageId: String(item.messageId),
    to: String(item.to),
    body: String(item.body),
    kind: String(item.kind),
    appointmentId: item.appointmentId ? String(item.appointmentId) : undefined,
    createdAt: String(item.createdAt),
  };
}

/** Newest first: every text for an admin, one's own texts for anyone else. */
export function listOutbox(
  table: DynamoTable,
  recipientId: string | undefined,
  cursor: string | undefined,
  limit: number,
): Promise<Page<OutboxMessage>> {
  if (recipientId === undefined) {
    return queryPage(
      table,
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'OUTBOX' },
        ScanIndexForward: false,
      },
      { attribute: 'pk', value: 'OUTBOX' },
      cursor,
      limit,
      toMessage,
    );
  }
  const pk = `OUTBOXTO#${recipientId}`;
  return queryPage(
    table,
    {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: false,
    },
    { attribute: 'gsi1pk', value: pk },
    cursor,
    limit,
    toMessage,
  );
}
