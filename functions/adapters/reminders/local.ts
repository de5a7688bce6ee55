import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ReminderScheduler } from '../../core/ports';
import type { DynamoTable } from '../dynamo/client';

const reminderKey = (appointmentId: string) => ({ pk: 'REMINDERS', sk: appointmentId });

/** Locally reminders are rows the local platform's scheduler loop polls (EventBridge on AWS). */
export function tableReminders(table: DynamoTable): ReminderScheduler {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async schedule(appointmentId, at) {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...reminderKey(appointmentId), type: 'reminder', appointmentId, dueAt: at.toISOString() },
        }),
      );
    },
    async cancel(appointmentId) {
      await documentClient.send(new DeleteCommand({ TableName: tableName, Key: reminderKey(appointmentId) }));
    },
  };
}

/** Claims due reminders: each is deleted conditionally first, so two loops never send one twice. */
export async function claimDueReminders(table: DynamoTable, now: Date): Promise<string[]> {
  const documentClient = table.client;
  const tableName = table.name;
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'dueAt <= :now',
      ExpressionAttributeValues: { ':pk': 'REMINDERS', ':now': now.toISOString() },
    }),
  );
  const claimed: string[] = [];
  for (const item of Items) {
    try {
      await documentClient.send(
        new DeleteCommand({
          TableName: tableName,
          Key: reminderKey(String(item.appointmentId)),
          ConditionExpression: 'dueAt = :due',
          ExpressionAttributeValues: { ':due': item.dueAt },
        }),
      );
      claimed.push(String(item.appointmentId));
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
    }
  }
  return claimed;
}
