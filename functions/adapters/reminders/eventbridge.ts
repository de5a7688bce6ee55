import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { ReminderScheduler } from '../../core/ports';

export interface EventBridgeReminderOptions {
  targetArn: string;
  roleArn: string;
  group: string;
  /** SQS queue for reminders that could not be delivered after the retries. */
  deadLetterArn: string;
}

/**
 * A reminder is worth retrying for ten minutes at most (it goes out 15 minutes before the start);
 * after that, or after the retries, it waits in the dead-letter queue for ops (docs/operations.md).
 */
export const REMINDER_RETRY = { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 600 } as const;

/** One one-time EventBridge Scheduler schedule per appointment, named after it; deleted after it fires. */
export function eventBridgeReminders(
  client: SchedulerClient,
  options: EventBridgeReminderOptions,
): ReminderScheduler {
  const name = (appointmentId: string) => `reminder-${appointmentId}`;
  return {
    async schedule(appointmentId, at) {
      const schedule = {
        Name: name(appointmentId),
        GroupName: options.group,
        ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' as const },
        ActionAfterCompletion: 'DELETE' as const,
        Target: {
          Arn: options.targetArn,
          RoleArn: options.roleArn,
          Input: JSON.stringify({ appointmentId }),
          RetryPolicy: REMINDER_RETRY,
          DeadLetterConfig: { Arn: options.deadLetterArn },
        },
      };
      try {
        await client.send(new CreateScheduleCommand(schedule));
      } catch (err) {
        if (!(err instanceof ConflictException)) throw err;
        await client.send(new UpdateScheduleCommand(schedule));
      }
    },
    async cancel(appointmentId) {
      try {
        await client.send(new DeleteScheduleCommand({ Name: name(appointmentId), GroupName: options.group }));
      } catch (err) {
        if (!(err instanceof ResourceNotFoundException)) throw err;
      }
    },
  };
}
