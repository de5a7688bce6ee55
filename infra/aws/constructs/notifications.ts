import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, Grant, PolicyStatement, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { CfnScheduleGroup, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { jobs } from '../../../functions/routes';
import type { Data } from './data';
import { ProjectFunction } from './project-function';

export interface NotificationsProps {
  readonly data: Data;
  /** Environment the reminder function gets besides the notification settings (table, pool, …). */
  readonly environment: Readonly<Record<string, string>>;
  /** How long before an appointment's start its reminder text goes out. @default 15 minutes */
  readonly reminderLeadTime?: Duration;
  /**
   * The schedule group holding one one-time schedule per booked appointment.
   * @default `<stack name in lower case>-reminders`, e.g. `telehealth-reminders`
   */
  readonly scheduleGroupName?: string;
}

/**
 * Text messages, appointment reminders, and the Twilio credentials they (and Twilio Video) use.
 *
 * - Twilio credentials live in one Secrets Manager secret, created with placeholder values. After the
 *   first deploy ops put the real JSON into it (infra/aws/README.md):
 *   `{"accountSid","authToken","fromNumber" | "messagingServiceSid","apiKeySid","apiKeySecret"}`.
 *   `accountSid`/`authToken` send texts and fetch TURN credentials (Network Traversal Service);
 *   `apiKeySid`/`apiKeySecret` (an API key, SK…) sign Twilio Video access tokens. Only functions whose
 *   routes declare `sms` (or `video`, when video goes through Twilio) may read it.
 * - Reminders are EventBridge Scheduler one-time schedules in one group, created, moved and deleted
 *   by the functions whose routes declare `reminders` ({@link bindScheduling}); each fires the
 *   reminder function through a role that may invoke only that function, with retries and a
 *   dead-letter queue for reminders it could not deliver.
 * - Texts go through a queue (ADR 0010): functions whose routes declare `sms` only queue them
 *   ({@link bindTexting}); the send-text function alone reads the Twilio secret and sends, at most
 *   `maxConcurrency` at once, and SQS retries a failed text `maxAttempts` times before it moves to
 *   the dead-letter queue. Both dead-letter queues alarm ({@link alarmOnDeadLetters}).
 */
export class Notifications extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  /** Assumed by EventBridge Scheduler to invoke the reminder function. */
  readonly schedulerRole: Role;
  readonly twilioSecret: Secret;
  /** Encrypts the Twilio secret only; usable through Secrets Manager only (kms:ViaService). */
  readonly secretsKey: Key;
  /** The `sendReminder` job: the target of every reminder schedule. */
  readonly reminderFunction: ProjectFunction;
  /** Reminders EventBridge Scheduler could not deliver after its retries. */
  readonly reminderDeadLetters: Queue;
  /** Texts waiting for the sender: ids only, never a number or a body. */
  readonly textQueue: Queue;
  /** Texts that failed every attempt. */
  readonly textDeadLetters: Queue;
  /** The `sendText` job: the queue's consumer, the only function that talks to Twilio Messaging. */
  readonly textFunction: ProjectFunction;
  /**
   * Settings every function gets: the providers (so none falls back to the local platform's outbox
   * or table scheduler), where the Twilio secret is, and the reminder policy.
   */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.scheduleGroup = new ScheduleGroup(this, 'Reminders', {
      scheduleGroupName: props.scheduleGroupName ?? `${stack.stackName.toLowerCase()}-reminders`,
      // Reminders are useless without the function they target, which goes with the stack; a
      // retained group would also block the next deploy under the same name.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'EventBridge Scheduler invokes the telehealth reminder function',
      // Only schedules of this account's reminder group may use the role (confused deputy).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn },
        },
      }),
    });

    // Its own key, not the table's: a role that may read the table gets no use of this one, and
    // the other way round. grantTwilioSecret grants decryption through Secrets Manager only.
    this.secretsKey = new Key(this, 'SecretsKey', {
      description: 'Encrypts the telehealth Twilio credentials',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.twilioSecret = new Secret(this, 'TwilioSecret', {
      description:
        'Twilio credentials {accountSid, authToken, fromNumber | messagingServiceSid, apiKeySid, ' +
        'apiKeySecret}: placeholder values until ops store the real ones',
      // A customer-managed key, so every decrypt is in CloudTrail under our key.
      encryptionKey: this.secretsKey,
      // Frozen: CloudFormation regenerates the whole value whenever generateSecretString changes
      // (even only the template's keys), which would wipe the credentials ops stored. The keys
      // here are placeholders, not the schema; the description and infra/aws/README.md give that.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ accountSid: 'REPLACE_ME', fromNumber: 'REPLACE_ME' }),
        generateStringKey: 'authToken',
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.environment = {
      SMS_PROVIDER: 'twilio',
      TWILIO_SECRET_ARN: this.twilioSecret.secretArn,
      REMINDER_SCHEDULER: 'eventbridge',
      REMINDER_MINUTES_BEFORE: String((props.reminderLeadTime ?? Duration.minutes(15)).toMinutes()),
    };

    // A fixed name, although nothing in the stack needs it any more (the function no longer gets
    // its own ARN): schedules are made weeks ahead and hold the ARN, so the name must survive
    // refactors of the construct tree. A generated name would change with the logical id and
    // leave every pending reminder pointing at a deleted function; a fixed one makes such a
    // deploy fail loudly instead.
    const suffix = `-${jobs.sendReminder.handler}`;
    this.reminderFunction = new ProjectFunction(this, `Fn-${jobs.sendReminder.id}`, {
      handler: jobs.sendReminder.handler,
      functionName: `${stack.stackName.slice(0, 64 - suffix.length)}${suffix}`,
      description: `Job: ${jobs.sendReminder.summary}`,
      environment: { ...props.environment, ...this.environment },
    });
    props.data.grant(this.reminderFunction, jobs.sendReminder.access);
    // The function itself, not grantInvoke's `<arn>:*` too: schedules target the unqualified ARN.
    this.schedulerRole.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [this.reminderFunction.functionArn],
      }),
    );

    // Scheduler sends undeliverable reminders here with the schedule's role (the target's RetryPolicy
    // and DeadLetterConfig are set per schedule, functions/adapters/reminders/eventbridge.ts).
    this.reminderDeadLetters = deadLetterQueue(this, 'ReminderDeadLetters');
    this.reminderDeadLetters.grantSendMessages(this.schedulerRole);

    this.textDeadLetters = deadLetterQueue(this, 'TextDeadLetters');
    const senderTimeout = Duration.seconds(20);
    this.textQueue = new Queue(this, 'Texts', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the sender's timeout, as AWS advises for Lambda consumers: a text is not handed
      // out twice while its first delivery may still be running.
      visibilityTimeout: Duration.seconds(senderTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.textDeadLetters, maxReceiveCount: jobs.sendText.maxAttempts },
    });
    this.textFunction = new ProjectFunction(this, `Fn-${jobs.sendText.id}`, {
      handler: jobs.sendText.handler,
      description: `Job: ${jobs.sendText.summary}`,
      environment: { ...props.environment, ...this.environment },
      // One text per run: reads, a Twilio call of 10 s at most, records; the only function over 10 s.
      timeout: senderTimeout,
      reservedConcurrentExecutions: jobs.sendText.maxConcurrency,
    });
    this.textFunction.addEventSource(
      new SqsEventSource(this.textQueue, {
        // One text per run: a Twilio call may take 10 s (a slow answer must not become an unknown
        // outcome), so five in a row could outlast the 20-second timeout.
        batchSize: 1,
        reportBatchItemFailures: true,
        // The same cap on the poller, so SQS never hands a batch to a throttled function (a throttle
        // would count as a receive and push texts toward the dead-letter queue).
        maxConcurrency: jobs.sendText.maxConcurrency,
      }),
    );
    props.data.grant(this.textFunction, jobs.sendText.access);
    this.grantTwilioSecret(this.textFunction);
  }

  /** Lets `fn` queue texts (capability `sms`) and tells it where. */
  bindTexting(fn: LambdaFunction): void {
    this.textQueue.grantSendMessages(fn);
    fn.addEnvironment('TEXT_QUEUE_URL', this.textQueue.queueUrl);
  }

  /** A message in either dead-letter queue is a text or a reminder nobody got: `topic` hears of it. */
  alarmOnDeadLetters(topic: ITopic): void {
    const action = new SnsAction(topic);
    for (const [id, queue, what] of [
      ['TextDeadLettersAlarm', this.textDeadLetters, 'A text failed every attempt'],
      ['ReminderDeadLettersAlarm', this.reminderDeadLetters, 'A reminder could not be delivered'],
    ] as const) {
      new Alarm(this, id, {
        alarmDescription: `${what}: it waits in its dead-letter queue (docs/operations.md)`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }
  }

  /**
   * Lets `fn` create, move and delete reminder schedules (and hand them the scheduler role), and
   * tells it where: the reminder function, the role and the group.
   */
  bindScheduling(fn: LambdaFunction): void {
    this.scheduleGroup.grantWriteSchedules(fn);
    this.scheduleGroup.grantDeleteSchedules(fn);
    fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    fn.addEnvironment('REMINDER_TARGET_ARN', this.reminderFunction.functionArn);
    fn.addEnvironment('SCHEDULER_ROLE_ARN', this.schedulerRole.roleArn);
    fn.addEnvironment('REMINDER_DLQ_ARN', this.reminderDeadLetters.queueArn);
    // The CloudFormation reference, not the literal name: the function then deploys after the group.
    fn.addEnvironment('SCHEDULE_GROUP', (this.scheduleGroup.node.defaultChild as CfnScheduleGroup).ref);
  }

  /**
   * Lets `grantee` read the Twilio credentials and decrypt them with the secrets key, via Secrets
   * Manager only. Both go to the grantee's policy, not the key's as `Secret.grantRead` would put the
   * decryption: a key policy naming the roles of the REST routes' nested stack, which itself takes the
   * secret's ARN, would be a CloudFormation cycle. The key policy's default statement lets IAM grant it.
   */
  grantTwilioSecret(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resourceArns: [this.twilioSecret.secretArn],
    });
    Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.secretsKey.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
      },
    });
  }
}

/** Keeps what failed for the longest SQS allows, so ops have two weeks to look and redrive. */
function deadLetterQueue(scope: Construct, id: string): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
}
