import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import { appointmentChangeArea } from './appointment-change';
import { appointmentsArea } from './appointments';

const config = loadConfig({
  AWS_REGION: 'eu-west-2',
  TABLE_NAME: 'table',
  PRACTICE_NAME: 'Riverside Demo Clinic',
  USER_POOL_ID: 'eu-west-2_pool',
  USER_POOL_CLIENT_ID: 'client',
  SMS_PROVIDER: 'outbox',
  REMINDER_SCHEDULER: 'eventbridge',
  VIDEO_PROVIDER: 'p2p',
});

describe('appointment compositions', () => {
  it('a service the area does not name fails on use with a ConfigurationError naming it', async () => {
    const deps = appointmentsArea.compose(config);
    await expect(async () => deps.reminders.schedule('a-1', new Date())).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringContaining('reminder scheduler'),
    });
    await expect(async () => deps.realtime.toUser('u-1', { type: 'pong' } as never)).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringContaining('WebSocket pushes'),
    });
  });

  it('a named service is created on first use from the configuration (here: missing EventBridge settings)', async () => {
    const deps = appointmentChangeArea.compose(config);
    await expect(async () => deps.reminders.schedule('a-1', new Date())).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringContaining('REMINDER_TARGET_ARN'),
    });
  });
});
