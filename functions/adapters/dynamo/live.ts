import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ChatMessage } from '../../../shared/live';
import type { ChatRepository, ConsentRepository, ConsentRecord } from '../../core/ports';
import type { DynamoTable } from './client';
import { queryPage } from './query';

const isConditionFailure = (err: unknown) =>
  (err as { name?: string }).name === 'ConditionalCheckFailedException';

/**
 * Chat: one item per (appointment, clientMessageId) — its conditional Put is what makes a resent
 * message count once; gsi1 orders the transcript by server time.
 *   pk CHAT#<appointmentId>  sk MSG#<clientMessageId>  gsi1pk CHATLOG#<appointmentId>  gsi1sk <sentAt>#<messageId>
 * Consents: pk APPT#<appointmentId>  sk CONSENT#<kind>#<userId>.
 */
export function dynamoChat(table: DynamoTable): ChatRepository {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async append(message) {
      const key = { pk: `CHAT#${message.appointmentId}`, sk: `MSG#${message.clientMessageId}` };
      try {
        await documentClient.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key,
              gsi1pk: `CHATLOG#${message.appointmentId}`,
              gsi1sk: `${message.sentAt}#${message.messageId}`,
              type: 'chat',
              ...message,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { message, duplicate: false };
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      return { message: toMessage(Item!), duplicate: true };
    },

    list(appointmentId, cursor, limit) {
      const pk = `CHATLOG#${appointmentId}`;
      return queryPage<ChatMessage>(
        table,
        {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: true,
        },
        { attribute: 'gsi1pk', value: pk },
        cursor,
        limit,
        toMessage,
      );
    },
  };
}

function toMessage(item: Record<string, unknown>): ChatMessage {
  return {
    messageId: String(item.messageId),
    appointmentId: String(item.appointmentId),
    clientMessageId: String(item.clientMessageId),
    senderId: String(item.senderId),
    senderRole: item.senderRole as ChatMessage['senderRole'],
    text: String(item.text),
    sentAt: String(item.sentAt),
  };
}

export function dynamoConsents(table: DynamoTable): ConsentRepository {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async record(consent) {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `APPT#${consent.appointmentId}`,
            sk: `CONSENT#${consent.kind}#${consent.userId}`,
            type: 'consent',
            ...consent,
          },
        }),
      );
    },
    async list(appointmentId, kind) {
      const { Items = [] } = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `APPT#${appointmentId}`, ':prefix': `CONSENT#${kind}#` },
          ConsistentRead: true,
        }),
      );
      return Items.map(({ pk: _p, sk: _s, type: _t, ...rest }) => rest as ConsentRecord);
    },
  };
}
