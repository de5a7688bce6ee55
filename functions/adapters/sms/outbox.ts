import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxMessage, OutboxStatus, Page } from '../../../shared/appointments';
import { textId, type SmsSender, type TextRequest } from '../../core/ports';
import type { DynamoTable } from '../dynamo/client';
import { queryPage } from '../dynamo/query';

/**
 * Locally (no Twilio credentials) texts land here, for the development page and the console.
 *   pk OUTBOX  sk <iso>#<messageId>  gsi1pk OUTBOXTO#<recipientId>  gsi1sk <iso>#<messageId>
 * A text's messageId is its text id and <iso> the time it was queued.
 */
/** A text or email to keep in the outbox (emails come only from the local Cognito: codes). */
export interface OutboxEntry {
  channel: 'sms' | 'email';
  recipientId: string;
  to: string;
  body: string;
  kind: string;
  appointmentId?: string;
  status?: OutboxStatus;
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

/** Where a queued text's entry lives: filed under when it was queued, updated in place. */
const textKey = (text: { queuedAt: string; textId: string }) => ({
  pk: 'OUTBOX',
  sk: `${text.queuedAt}#${text.textId}`,
});

/**
 * The local queue files each text as it is queued: ids, kind and status only, since the sender
 * builds the text and reads the phone when it sends.
 */
export async function putQueuedText(table: DynamoTable, request: TextRequest): Promise<void> {
  const id = textId(request);
  await table.client.send(
    new PutCommand({
      TableName: table.name,
      Item: {
        ...textKey({ queuedAt: request.queuedAt, textId: id }),
        gsi1pk: `OUTBOXTO#${request.recipientId}`,
        gsi1sk: `${request.queuedAt}#${id}`,
        type: 'sms',
        channel: 'sms',
        messageId: id,
        createdAt: request.queuedAt,
        recipientId: request.recipientId,
        kind: request.kind,
        appointmentId: request.appointmentId,
        to: '',
        body: '',
        status: 'queued',
        attempts: 0,
      },
    }),
  );
}

/** The local queue's verdict on a text: delivery attempts so far, and sent or failed (dead letter). */
export async function setQueuedTextStatus(
  table: DynamoTable,
  text: { queuedAt: string; textId: string },
  status: OutboxStatus,
  attempts: number,
): Promise<void> {
  await table.client.send(
    new UpdateCommand({
      TableName: table.name,
      Key: textKey(text),
      UpdateExpression: 'SET #status = :status, attempts = :attempts',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':attempts': attempts },
    }),
  );
}

/**
 * The local SMS provider: the text's number and words go onto its outbox entry (the development
 * page shows them), then to `forward` when given (a fake Twilio in tests).
 */
export function outboxSms(table: DynamoTable, forward?: SmsSender): SmsSender {
  return {
    async send(message) {
      const { textId, queuedAt } = message;
      if (textId === undefined || queuedAt === undefined) {
        // Sent at once, not queued (a phone code): a new entry, already sent.
        const { recipientId, to, body, kind } = message;
        await putOutboxEntry(table, { channel: 'sms', recipientId, to, body, kind, status: 'sent' });
      } else
        await table.client.send(
          new UpdateCommand({
            TableName: table.name,
            Key: textKey({ textId, queuedAt }),
            UpdateExpression: 'SET #to = :to, body = :body',
            ExpressionAttributeNames: { '#to': 'to' },
            ExpressionAttributeValues: { ':to': message.to, ':body': message.body },
          }),
        );
      // Development console only: which kind of text went to which masked number, never its body.
      console.log(`[sms outbox] ${message.kind} text to …${message.to.slice(-4)} (see /dev/outbox)`);
      return forward?.send(message);
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
    ...(item.status ? { status: item.status as OutboxStatus, attempts: Number(item.attempts ?? 0) } : {}),
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
