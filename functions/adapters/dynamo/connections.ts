import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RATE_LIMIT } from '../../../shared/live';
import type { ConnectionDirectory, ConnectionRecord, FrameRateLimiter } from '../../core/ports';
import { documentClient, tableName } from './client';

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

export const dynamoConnections = {
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
    await documentClient.send(new DeleteCommand({ TableName: tableName, Key: connectionKey(connectionId) }));
  },
  /** Live connections of a user; expired records are filtered here because dynalite has no TTL. */
  async listForUser(userId: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<ConnectionRecord[]> {
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

export const dynamoConnectionDirectory: ConnectionDirectory = {
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
  remove: (connectionId) => dynamoConnections.delete(connectionId),
};

/**
 * Token bucket kept on the connection item (burst 20, 10 frames/s). Each frame is one optimistic
 * conditional update; a frame that keeps losing the race to its siblings counts as over the limit.
 */
export const dynamoFrameRateLimiter: FrameRateLimiter = {
  async allow(connectionId, now) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: connectionKey(connectionId), ConsistentRead: true }),
      );
      if (!Item) return false;
      const last = typeof Item.rlAt === 'number' ? Item.rlAt : undefined;
      const previous = typeof Item.rlTokens === 'number' ? Item.rlTokens : RATE_LIMIT.burst;
      const refilled =
        last === undefined
          ? RATE_LIMIT.burst
          : Math.min(RATE_LIMIT.burst, previous + ((now - last) / 1000) * RATE_LIMIT.perSecond);
      if (refilled < 1) return false;
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName: tableName,
            Key: connectionKey(connectionId),
            UpdateExpression: 'SET rlTokens = :tokens, rlAt = :now',
            ConditionExpression: last === undefined ? 'attribute_not_exists(rlAt)' : 'rlAt = :last',
            ExpressionAttributeValues: {
              ':tokens': refilled - 1,
              ':now': Math.max(now, last ?? now),
              ...(last === undefined ? {} : { ':last': last }),
            },
          }),
        );
        return true;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    return false;
  },
};
