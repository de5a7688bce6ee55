import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventBridgeReminders } from './eventbridge';

const scheduler = mockClient(SchedulerClient);
const reminders = eventBridgeReminders(new SchedulerClient({ region: 'us-east-1' }), {
  targetArn: 'arn:aws:lambda:us-east-1:1:function:reminder',
  roleArn: 'arn:aws:iam::1:role/scheduler',
  group: 'telehealth-reminders',
  deadLetterArn: 'arn:aws:sqs:us-east-1:1:reminders-dlq',
});

describe('eventBridgeReminders', () => {
  beforeEach(() => scheduler.reset());

  it('creates a one-time schedule named after the appointment that deletes itself', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    await reminders.schedule('a-1', new Date('2026-03-10T14:45:00.000Z'));
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input).toMatchObject({
      Name: 'reminder-a-1',
      GroupName: 'telehealth-reminders',
      ScheduleExpression: 'at(2026-03-10T14:45:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: {
        Input: JSON.stringify({ appointmentId: 'a-1' }),
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 600 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:1:reminders-dlq' },
      },
    });
  });

  it('updates the schedule when the appointment is rescheduled', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({});
    await reminders.schedule('a-1', new Date('2026-03-11T14:45:00.000Z'));
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]!.args[0].input.ScheduleExpression).toBe(
      'at(2026-03-11T14:45:00)',
    );
  });

  it('deletes on cancel and ignores a schedule that already fired', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    await expect(reminders.cancel('a-1')).resolves.toBeUndefined();
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]!.args[0].input.Name).toBe('reminder-a-1');
  });
});
