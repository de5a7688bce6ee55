import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../../../shared/roles';
import { documentClient, tableName } from './client';

export interface ConnectionRecord {
  connectionId: string;
  userId: string;
  role: Role;
  connectedAt: string;
  /** Epoch seconds: API Gateway drops a WebSocket after 2 hours. */
  expiresAt: number;
}

const connectionKey = (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: 'CONN' });

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
    return Items as ConnectionRecord[];
  },
};
