import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface OpsProps {
  readonly restApi: apigateway.RestApi;
  /** Name → function; each gets an error alarm. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Who hears about alarms. @default - alarms go to the topic, which has no subscriber */
  readonly alarmEmail?: string;
}

/** Alarms on what a patient would notice first: API 5XX and Lambda errors, sent to one SNS topic. */
export class Ops extends Construct {
  readonly topic: Topic;
  /** Encrypts the topic; CloudWatch may use it to publish. */
  readonly topicKey: Key;

  constructor(scope: Construct, id: string, props: OpsProps) {
    super(scope, id);
    // Alarm texts carry no PHI, but the topic is encrypted like everything else; CloudWatch
    // needs the key to publish.
    this.topicKey = new Key(this, 'AlarmsKey', {
      description: 'Encrypts the telehealth alarm topic',
      enableKeyRotation: true,
    });
    this.topicKey.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey',
    );
    this.topic = new Topic(this, 'Alarms', {
      displayName: 'Telehealth alarms',
      enforceSSL: true,
      masterKey: this.topicKey,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarms = [
      new Alarm(this, 'Api5xx', {
        alarmDescription: 'The REST API answered 5XX responses',
        metric: props.restApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 5,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      ...Object.entries(props.functions).map(
        ([name, fn]) =>
          new Alarm(this, `Errors-${name}`, {
            alarmDescription: `Function ${name} threw errors`,
            metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
            threshold: 1,
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      ),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(action);
  }
}
