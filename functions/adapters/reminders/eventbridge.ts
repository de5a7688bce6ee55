import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { ReminderScheduler, VisitJob } from '../../core/ports';

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

/**
 * One one-time EventBridge Scheduler schedule per job and appointment, named after them, deleted
 * after it fires; every job targets the same function, which reads the job from the input.
 */
export function eventBridgeReminders(
  client: SchedulerClient,
  options: EventBridgeReminderOptions,
): ReminderScheduler {
  const name = (appointmentId: string, job: VisitJob = 'reminder') => `${job}-${appointmentId}`;
  return {
    async schedule(appointmentId, at, job = 'reminder') {
      const schedule = {
        Name: name(appointmentId, job),
        GroupName: options.group,
        ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' as const },
        ActionAfterCompletion: 'DELETE' as const,
        Target: {
          Arn: options.targetArn,
          RoleArn: options.roleArn,
          Input: JSON.stringify(job === 'reminder' ? { appointmentId } : { appointmentId, job }),
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
      for (const job of ['reminder', 'visit-start'] as const) {
        try {
          await client.send(
            new DeleteScheduleCommand({ Name: name(appointmentId, job), GroupName: options.group }),
          );
        } catch (err) {
          if (!(err instanceof ResourceNotFoundException)) throw err;
        }
      }
    },
  };
}
