import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditLog } from '../../core/ports';
import { documentClient, tableName } from './client';

export const dynamoAudit: AuditLog = {
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
