import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RATE_LIMIT } from '../../../shared/live';
import type { ConnectionDirectory, ConnectionRecord, FrameCounter } from '../../core/ports';
import type { DynamoTable } from './client';

export type { ConnectionRecord };

const connectionKey = (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: 'CONN' });
const isConditionFailure = (err: unknown) =>
  (err as { name?: string }).name === 'ConditionalCheckFailedException';

function fromItem(item: Record<string, unknown>): ConnectionRecord {
  return {
    connectionId: String(item.connectionId),
    userId: String(item.userId),
    role: item.role as ConnectionRecord['role'],
    connectedAt: String(item.connectedAt),
    expiresAt: Number(item.expiresAt),
    ...(item.callAppointmentId ? { callAppointmentId: String(item.callAppointmentId) } : {}),
  };
}

export function dynamoConnections(table: DynamoTable) {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async put(record: ConnectionRecord) {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...connectionKey(record.connectionId),
            gsi1pk: `USERCONN#${record.userId}`,
            gsi1sk: record.connectionId,
            type: 'connection',
            ...record,
          },
        }),
      );
    },
    async delete(connectionId: string) {
      await documentClient.send(
        new DeleteCommand({ TableName: tableName, Key: connectionKey(connectionId) }),
      );
    },
    /** Live connections of a user; expired records are filtered here because TTL deletion lags. */
    async listForUser(
      userId: string,
      nowSeconds = Math.floor(Date.now() / 1000),
    ): Promise<ConnectionRecord[]> {
      const { Items = [] } = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':pk': `USERCONN#${userId}`, ':now': nowSeconds },
        }),
      );
      return Items.map(fromItem);
    },
  };
}

export function dynamoConnectionDirectory(table: DynamoTable): ConnectionDirectory {
  const connections = dynamoConnections(table);
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async get(connectionId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: connectionKey(connectionId), ConsistentRead: true }),
      );
      if (!Item || Number(Item.expiresAt) <= Math.floor(Date.now() / 1000)) return undefined;
      return fromItem(Item);
    },
    async setCall(connectionId, appointmentId) {
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName: tableName,
            Key: connectionKey(connectionId),
            UpdateExpression: appointmentId ? 'SET callAppointmentId = :a' : 'REMOVE callAppointmentId',
            ConditionExpression: 'attribute_exists(pk)',
            ...(appointmentId ? { ExpressionAttributeValues: { ':a': appointmentId } } : {}),
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    },
    listForUser: (userId) => connections.listForUser(userId),
    remove: (connectionId) => connections.delete(connectionId),
  };
}

/**
 * The shared per-connection frame count (RATE_LIMIT, shared/live.ts) as a fixed-window counter: one
 * item per connection and window, `RATE#frame:<connectionId>:<window>`, gone by TTL. A take is
 * exactly one conditional `ADD` with no prior read, so takes by several Lambda instances cannot pass
 * the budget together, and a take never costs a second attempt. The item carries no index keys, so
 * the write is one WCU (the connection item is projected into gsi1, so a counter there cost two).
 * Instances take a few frames at a time (functions/core/frame-budget.ts).
 */
export function dynamoFrameCounter(table: DynamoTable): FrameCounter {
  const documentClient = table.client;
  const tableName = table.name;
  const windowMs = RATE_LIMIT.windowSeconds * 1000;
  return {
    async take(connectionId, window, frames) {
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `RATE#frame:${connectionId}:${window}`, sk: 'RATE' },
            UpdateExpression: 'ADD frames :frames SET expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(frames) OR frames <= :room',
            ExpressionAttributeValues: {
              ':frames': frames,
              ':room': RATE_LIMIT.frames - frames,
              ':expiresAt': Math.ceil(((window + 1) * windowMs) / 1000) + 1,
            },
          }),
        );
        return true;
      } catch (err) {
        if (isConditionFailure(err)) return false;
        throw err;
      }
    },
  };
}
