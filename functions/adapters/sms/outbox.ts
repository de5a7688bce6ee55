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
/** A text or email to keep in the outbox (emails come only from the local Cognito: codes). */
export interface OutboxEntry {
  channel: 'sms' | 'email';
  recipientId: string;
  to: string;
  body: string;
  kind: string;
  appointmentId?: string;
}

export async function putOutboxEntry(table: DynamoTable, entry: OutboxEntry): Promise<void> {
  const createdAt = new Date().toISOString();
  const messageId = randomUUID();
  await table.client.send(
    new PutCommand({
      TableName: table.name,
      Item: {
        pk: 'OUTBOX',
        sk: `${createdAt}#${messageId}`,
        gsi1pk: `OUTBOXTO#${entry.recipientId}`,
        gsi1sk: `${createdAt}#${messageId}`,
        type: entry.channel,
        messageId,
        createdAt,
        ...entry,
      },
    }),
  );
}

export function outboxSms(table: DynamoTable): SmsSender {
  return {
    async send(message) {
      await putOutboxEntry(table, { channel: 'sms', ...message });
      // Development console only: which kind of text went to which masked number, never its body.
      console.log(`[sms outbox] ${message.kind} text to …${message.to.slice(-4)} (see /dev/outbox)`);
    },
  };
}

function toMessage(item: Record<string, unknown>): OutboxMessage {
  return {
    messageId: String(item.messageId),
    channel: item.channel === 'email' ? 'email' : 'sms',
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
