import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ReminderScheduler, VisitJob } from '../../core/ports';
import type { DynamoTable } from '../dynamo/client';

/** The reminder keeps its original key (rows made before visit jobs had kinds); other jobs add theirs. */
const reminderKey = (appointmentId: string, job: VisitJob = 'reminder') => ({
  pk: 'REMINDERS',
  sk: job === 'reminder' ? appointmentId : `${appointmentId}#${job}`,
});

/** Locally reminders are rows the local platform's scheduler loop polls (EventBridge on AWS). */
export function tableReminders(table: DynamoTable): ReminderScheduler {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async schedule(appointmentId, at, job = 'reminder') {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...reminderKey(appointmentId, job),
            type: 'reminder',
            appointmentId,
            job,
            dueAt: at.toISOString(),
          },
        }),
      );
    },
    async cancel(appointmentId) {
      for (const job of ['reminder', 'visit-start'] as const) {
        await documentClient.send(
          new DeleteCommand({ TableName: tableName, Key: reminderKey(appointmentId, job) }),
        );
      }
    },
  };
}

/** Claims due reminders: each is deleted conditionally first, so two loops never send one twice. */
export async function claimDueReminders(
  table: DynamoTable,
  now: Date,
): Promise<{ appointmentId: string; job: VisitJob }[]> {
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
  const claimed: { appointmentId: string; job: VisitJob }[] = [];
  for (const item of Items) {
    const job = (item.job as VisitJob | undefined) ?? 'reminder';
    try {
      await documentClient.send(
        new DeleteCommand({
          TableName: tableName,
          Key: reminderKey(String(item.appointmentId), job),
          ConditionExpression: 'dueAt = :due',
          ExpressionAttributeValues: { ':due': item.dueAt },
        }),
      );
      claimed.push({ appointmentId: String(item.appointmentId), job });
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
    }
  }
  return claimed;
}
