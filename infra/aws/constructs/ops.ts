import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../../functions/lib/telemetry';

export interface OpsProps {
  readonly restApi: apigateway.RestApi;
  /** Name → function; their errors are alarmed, ten functions per alarm. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** The table every function shares: its throttles and system errors are alarmed. */
  readonly table: ITable;
  /** The WebSocket API and its stage: connect and integration failures are alarmed. */
  readonly webSocket: { readonly api: WebSocketApi; readonly stage: WebSocketStage };
  /** Who hears about alarms. @default - alarms go to the topic, which has no subscriber */
  readonly alarmEmail?: string;
}

/** The functions whose p99 duration is alarmed: the steps a patient waits on most. */
export const LATENCY_WATCHED_FUNCTIONS = ['bookAppointment', 'checkIn', 'admitPatient', 'joinCall'] as const;
/** p99 above this (ms, 3 of 3 five-minute periods) means patients are waiting. */
export const LATENCY_P99_MS = { restApi: 3_000, function: 5_000 } as const;
/** The DynamoDB operations the adapters use: their system errors are summed (an alarm takes ≤ 10 metrics). */
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.QUERY,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
  Operation.TRANSACT_GET_ITEMS,
];

const FIVE_MINUTES = Duration.minutes(5);

/** The functions in groups of at most ten (the metrics one alarm's math may use), in name order. */
export function functionGroups(functions: Readonly<Record<string, IFunction>>): [string, IFunction][][] {
  const entries = Object.entries(functions).sort(([a], [b]) => a.localeCompare(b));
  const groups: [string, IFunction][][] = [];
  for (let i = 0; i < entries.length; i += 10) groups.push(entries.slice(i, i + 10));
  return groups;
}

/** A custom metric the handlers publish (functions/lib/telemetry.ts), summed over all routes. */
export function appMetric(metricName: string, period: Duration = FIVE_MINUTES): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: Stats.SUM,
    period,
  });
}

/**
 * What someone on call needs: alarms on what a patient would notice (errors the handlers answered,
 * slowness, throttling, WebSocket failures, texts that did not go out), sent to one SNS topic, and a
 * dashboard of the visit funnel beside errors and latency. docs/operations.md says what each alarm
 * means and what to do.
 */
export class Ops extends Construct {
  readonly topic: Topic;
  /** Encrypts the topic; CloudWatch may use it to publish. */
  readonly topicKey: Key;
  readonly dashboard: Dashboard;

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

    const alarm = (
      alarmId: string,
      description: string,
      metric: IMetric,
      threshold: number,
      evaluationPeriods = 1,
    ) =>
      new Alarm(this, alarmId, {
        alarmDescription: `${description} (docs/operations.md, alarm ${alarmId})`,
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });

    const restLatency = props.restApi.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(99) });
    const wsMetric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: props.webSocket.api.apiId, Stage: props.webSocket.stage.stageName },
        statistic: Stats.SUM,
        period: FIVE_MINUTES,
      });
    const wsFailures = new MathExpression({
      expression: 'integration + execution',
      usingMetrics: { integration: wsMetric('IntegrationError'), execution: wsMetric('ExecutionError') },
      label: 'WebSocket integration + execution errors',
      period: FIVE_MINUTES,
    });
    const tableThrottles = new MathExpression({
      expression: 'reads + writes',
      usingMetrics: {
        reads: props.table.metric('ReadThrottleEvents', { statistic: Stats.SUM, period: FIVE_MINUTES }),
        writes: props.table.metric('WriteThrottleEvents', { statistic: Stats.SUM, period: FIVE_MINUTES }),
      },
      label: 'DynamoDB read + write throttle events',
      period: FIVE_MINUTES,
    });
    const tableSystemErrors = props.table.metricSystemErrorsForOperations({
      operations: TABLE_OPERATIONS,
      period: FIVE_MINUTES,
    });
    const lambdaThrottles = new Metric({
      namespace: 'AWS/Lambda',
      metricName: 'Throttles',
      statistic: Stats.SUM,
      period: FIVE_MINUTES,
    });
    const watched = LATENCY_WATCHED_FUNCTIONS.flatMap((name) => {
      const fn = props.functions[name];
      return fn ? [[name, fn] as const] : [];
    });

    const alarms = [
      alarm(
        'Api5xx',
        'The REST API answered 5XX responses',
        props.restApi.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        5,
      ),
      alarm(
        'ServerError',
        'A handler answered a request or WebSocket action with an internal error (metric ServerError, by route)',
        appMetric('ServerError'),
        1,
      ),
      alarm('TextFailed', 'Text messages failed after their retries', appMetric('TextFailed'), 3),
      alarm(
        'TextUndelivered',
        'Twilio reported texts undelivered or failed after accepting them (the warning log names the carrier code)',
        appMetric('TextUndelivered'),
        3,
      ),
      alarm(
        'ApiLatencyP99',
        `REST API p99 latency at or above ${LATENCY_P99_MS.restApi} ms for 15 minutes`,
        restLatency,
        LATENCY_P99_MS.restApi,
        3,
      ),
      ...watched.map(([name, fn]) =>
        alarm(
          `LatencyP99-${name}`,
          `Function ${name} p99 duration at or above ${LATENCY_P99_MS.function} ms for 15 minutes`,
          fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(99) }),
          LATENCY_P99_MS.function,
          3,
        ),
      ),
      alarm('LambdaThrottles', 'Lambda throttled invocations (account and region)', lambdaThrottles, 1),
      alarm('TableThrottles', 'DynamoDB throttled reads or writes on the table', tableThrottles, 1),
      alarm('TableSystemErrors', 'DynamoDB answered system errors (HTTP 500)', tableSystemErrors, 1),
      alarm(
        'TurnUnavailable',
        'p2p calls started without TURN credentials from Twilio (configured ICE servers only)',
        appMetric('TurnUnavailable'),
        3,
      ),
      alarm(
        'RecordingStopFailed',
        'A withdrawal of recording consent could not reach Twilio after retries: the room was completed instead (log has the Twilio code)',
        appMetric('RecordingStopFailed'),
        1,
      ),
      alarm(
        'WebSocketErrors',
        'The WebSocket API failed to run its authorizer or integrations (connect or actions)',
        wsFailures,
        5,
      ),
      // Crashes and timeouts (handled errors are answered, and counted as ServerError above). One
      // alarm per group of ten functions, as metric math takes at most ten metrics: an alarm each
      // would put the stack over CloudFormation's 500 resources.
      ...functionGroups(props.functions).map((group, index) =>
        alarm(
          `FunctionErrors-${index + 1}`,
          `One of these functions threw errors (crash or timeout): ${group.map(([name]) => name).join(', ')}`,
          new MathExpression({
            expression: group.map((_, i) => `e${i}`).join(' + '),
            usingMetrics: Object.fromEntries(
              group.map(([, fn], i) => [
                `e${i}`,
                fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
              ]),
            ),
            period: FIVE_MINUTES,
            label: 'Errors',
          }),
          1,
        ),
      ),
    ];
    for (const a of alarms) a.addAlarmAction(action);

    const hour = Duration.hours(1);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new TextWidget({
            markdown:
              '# Telehealth\nVisit funnel, texts, errors and latency. Alarms and what to do: docs/operations.md.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Visit funnel (per hour)',
            width: 12,
            left: ['AppointmentBooked', 'PatientCheckedIn', 'VisitStarted', 'VisitCompleted'].map((name) =>
              appMetric(name, hour),
            ),
          }),
          new SingleValueWidget({
            title: 'Funnel, whole range',
            width: 12,
            setPeriodToTimeRange: true,
            metrics: [
              'AppointmentBooked',
              'AppointmentCancelled',
              'PatientCheckedIn',
              'VisitStarted',
              'VisitCompleted',
            ].map((name) => appMetric(name, hour)),
          }),
        ],
        [
          new GraphWidget({
            // The doctors' dashboard shows the same figures per doctor (no per-doctor dimension here).
            title: 'No-shows and late joins (per week): visits due, no-shows, check-ins over 5 min late',
            width: 12,
            left: ['VisitDue', 'NoShow', 'LateJoin'].map((name) => appMetric(name, Duration.days(7))),
          }),
          new GraphWidget({
            title: 'Check-in to admission (ms): median and p90',
            width: 12,
            left: [
              appMetric('TimeToAdmit', hour).with({ statistic: Stats.p(50) }),
              appMetric('TimeToAdmit', hour).with({ statistic: Stats.p(90) }),
            ],
          }),
        ],
        [
          new GraphWidget({
            title: 'Ratings after visits (1–5, average)',
            width: 8,
            left: ['VisitRating', 'CallRating', 'CallQualityScore'].map((name) =>
              appMetric(name, hour).with({ statistic: Stats.AVERAGE }),
            ),
            leftYAxis: { min: 1, max: 5 },
          }),
          new GraphWidget({
            title: 'Call quality: p95 round trip (ms) and packet loss (%), median of calls',
            width: 8,
            left: [appMetric('CallRttP95', hour).with({ statistic: Stats.p(50) })],
            right: [appMetric('CallPacketLossP95', hour).with({ statistic: Stats.p(50) })],
          }),
          new GraphWidget({
            title: 'Technical problems flagged and reconnects',
            width: 8,
            left: [appMetric('TechnicalProblem', hour)],
            right: [appMetric('CallReconnects', hour)],
          }),
        ],
        [
          new GraphWidget({
            title: 'Texts and chat',
            width: 12,
            left: [appMetric('TextSent'), appMetric('TextFailed'), appMetric('TextUndelivered')],
            right: [appMetric('ChatMessageSent')],
          }),
          new GraphWidget({
            title: 'Errors',
            width: 12,
            left: [
              appMetric('ServerError'),
              props.restApi.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
              wsFailures,
            ],
            right: [appMetric('HandledError'), props.restApi.metricClientError({ period: FIVE_MINUTES })],
          }),
        ],
        [
          new GraphWidget({
            title: 'Latency p99 (ms)',
            width: 12,
            left: [
              restLatency,
              ...watched.map(([, fn]) => fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(99) })),
            ],
          }),
          new GraphWidget({
            title: 'WebSocket and capacity',
            width: 12,
            left: [wsMetric('ConnectCount'), wsMetric('ClientError'), wsMetric('MessageCount')],
            right: [lambdaThrottles, tableThrottles, tableSystemErrors],
          }),
        ],
      ],
    });
  }
}
