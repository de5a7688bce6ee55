import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditLog, AuditRecord, AuditTrail } from '../../core/ports';
import type { DynamoTable } from './client';
import { queryPage } from './query';

export function dynamoAudit(table: DynamoTable): AuditLog {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async record(entry) {
      const at = new Date().toISOString();
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `AUDIT#${at.slice(0, 10)}`,
            sk: `${at}#${randomUUID()}`,
            gsi1pk: `ACTOR#${entry.actorId}`,
            gsi1sk: at,
            type: 'audit',
            at,
            ...entry,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
  };
}

export function dynamoAuditTrail(table: DynamoTable): AuditTrail {
  return {
    day(date, cursor, limit) {
      const pk = `AUDIT#${date}`;
      return queryPage<AuditRecord>(
        table,
        {
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: false,
        },
        { attribute: 'pk', value: pk },
        cursor,
        limit,
        (item) => ({
          at: String(item.at),
          action: String(item.action),
          actorId: String(item.actorId),
          ...(item.targetId ? { targetId: String(item.targetId) } : {}),
          ...(item.requestId ? { requestId: String(item.requestId) } : {}),
        }),
      );
    },
  };
}
