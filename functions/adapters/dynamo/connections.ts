import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RATE_LIMIT } from '../../../shared/live';
import type { ConnectionDirectory, ConnectionRecord, FrameRateLimiter } from '../../core/ports';
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
 * Per-connection rate limit (burst 20, then 10 frames/s) as GCRA on the connection item: `rlTat` is
 * the theoretical arrival time of the next frame. Each frame is one conditional update with no prior
 * read, so a burst of concurrent frames cannot slip through together or starve each other.
 */
export function dynamoFrameRateLimiter(table: DynamoTable): FrameRateLimiter {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async allow(connectionId, now) {
      const interval = 1000 / RATE_LIMIT.perSecond;
      const tolerance = (RATE_LIMIT.burst - 1) * interval;
      const update = async (expression: string, condition: string, values: Record<string, number>) => {
        try {
          await documentClient.send(
            new UpdateCommand({
              TableName: tableName,
              Key: connectionKey(connectionId),
              UpdateExpression: expression,
              ConditionExpression: `attribute_exists(pk) AND (${condition})`,
              ExpressionAttributeValues: values,
            }),
          );
          return true;
        } catch (err) {
          if (isConditionFailure(err)) return false;
          throw err;
        }
      };
      // Idle (or first frame): the schedule restarts from now.
      if (
        await update('SET rlTat = :next', 'attribute_not_exists(rlTat) OR rlTat < :now', {
          ':next': now + interval,
          ':now': now,
        })
      ) {
        return true;
      }
      // Busy: allowed while the schedule runs at most `tolerance` ahead of now.
      return update('SET rlTat = rlTat + :interval', 'rlTat >= :now AND rlTat <= :limit', {
        ':interval': interval,
        ':now': now,
        ':limit': now + tolerance,
      });
    },
  };
}
