import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Canary, Code, Runtime, Schedule, Test } from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';

export interface SignInCanaryProps {
  /** The web app's origin, e.g. `https://care.example.org`. */
  readonly webOrigin: string;
  /** The REST API's base URL (no trailing `/`). */
  readonly apiUrl: string;
  /** Where the alarm goes. */
  readonly alarmTopic: ITopic;
  /** @default 5 minutes */
  readonly every?: Duration;
}

/** The canary runtime: Node.js with Puppeteer (a current, supported CloudWatch Synthetics runtime). */
export const CANARY_RUNTIME = Runtime.SYNTHETICS_NODEJS_PUPPETEER_13_0;

/**
 * Loads the sign-in page until its email field shows, then `GET /health` must answer 200 with
 * `status: "ok"`. Anonymous: it signs nobody in and touches no PHI.
 */
const SCRIPT = `
const synthetics = require('Synthetics');

exports.handler = async () => {
  const page = await synthetics.getPage();
  await synthetics.executeStep('signInPage', async () => {
    const response = await page.goto(process.env.SIGN_IN_URL, { waitUntil: 'domcontentloaded', timeout: 30000 });
    if (!response || response.status() !== 200) throw new Error('sign-in page answered ' + (response && response.status()));
    await page.waitForSelector('input[type="email"]', { timeout: 20000 });
  });
  await synthetics.executeStep('health', async () => {
    const response = await page.goto(process.env.HEALTH_URL, { timeout: 15000 });
    const body = JSON.parse(await response.text());
    if (response.status() !== 200 || body.status !== 'ok') {
      throw new Error('health answered ' + response.status() + ' ' + JSON.stringify(body.checks));
    }
  });
};
`;

/**
 * A CloudWatch Synthetics canary that plays a patient arriving at the app every five minutes, and
 * an alarm on the alarm topic when two runs in a row fail (or the canary stops reporting).
 */
export class SignInCanary extends Construct {
  readonly canary: Canary;
  readonly alarm: Alarm;
  /** Screenshots and logs of the runs: the public sign-in page and the health answer only. */
  readonly artifacts: Bucket;

  constructor(scope: Construct, id: string, props: SignInCanaryProps) {
    super(scope, id);
    this.artifacts = new Bucket(this, 'Artifacts', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Canary names: at most 21 characters of [a-z0-9_-]; from the stack name, so stages differ.
    const canaryName = Stack.of(this)
      .stackName.toLowerCase()
      .replace(/[^a-z0-9_-]/g, '-')
      .slice(0, 21);
    this.canary = new Canary(this, 'SignIn', {
      canaryName,
      runtime: CANARY_RUNTIME,
      test: Test.custom({ code: Code.fromInline(SCRIPT), handler: 'index.handler' }),
      schedule: Schedule.rate(props.every ?? Duration.minutes(5)),
      environmentVariables: {
        SIGN_IN_URL: `${props.webOrigin}/login`,
        HEALTH_URL: `${props.apiUrl}/health`,
      },
      artifactsBucketLocation: { bucket: this.artifacts },
      successRetentionPeriod: Duration.days(7),
      failureRetentionPeriod: Duration.days(30),
      provisionedResourceCleanup: true,
    });
    this.alarm = new Alarm(this, 'Failing', {
      alarmDescription: 'The sign-in canary failed twice in a row: the web app or /health is down',
      metric: this.canary.metricSuccessPercent({ period: props.every ?? Duration.minutes(5) }),
      threshold: 100,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
