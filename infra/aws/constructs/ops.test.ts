import { App, Stack } from 'aws-cdk-lib';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { LATENCY_WATCHED_FUNCTIONS, Ops } from './ops';

/** Ops on stand-ins of the stack's API, table and functions (inline code: nothing is bundled). */
function template(): Template {
  const stack = new Stack(new App(), 'OpsTest');
  const restApi = new RestApi(stack, 'Rest');
  restApi.root.addMethod('GET', new MockIntegration());
  const api = new WebSocketApi(stack, 'Ws');
  const stage = new WebSocketStage(stack, 'WsStage', { webSocketApi: api, stageName: 'v1' });
  const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  const fn = (id: string) =>
    new LambdaFunction(stack, id, {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => {}'),
    });
  const functions = Object.fromEntries(['bookAppointment', 'joinCall', 'getMe'].map((id) => [id, fn(id)]));
  new Ops(stack, 'Ops', { restApi, functions, table, webSocket: { api, stage } });
  return Template.fromStack(stack);
}

const t = template();
const alarms = t.findResources('AWS::CloudWatch::Alarm');
const alarmOn = (metricName: string) =>
  Object.values(alarms).filter((a) => JSON.stringify(a.Properties).includes(`"${metricName}"`));

describe('ops', () => {
  it('alarms on the handlers’ own failure metrics and on failed texts', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Telehealth',
      MetricName: 'ServerError',
      Dimensions: [{ Name: 'service', Value: 'telehealth' }],
      Statistic: 'Sum',
      Threshold: 1,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'Telehealth', MetricName: 'TextFailed' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Telehealth',
      MetricName: 'TextUndelivered',
      Threshold: 3,
    });
  });

  it('alarms on the first recording withdrawal that could not reach Twilio', () => {
    expect(alarmOn('RecordingStopFailed')).toHaveLength(1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Telehealth',
      MetricName: 'RecordingStopFailed',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms on p99 latency of the REST API and of the watched functions present', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      EvaluationPeriods: 3,
    });
    const durations = alarmOn('Duration');
    expect(durations).toHaveLength(2);
    expect(LATENCY_WATCHED_FUNCTIONS).toEqual(expect.arrayContaining(['bookAppointment', 'joinCall']));
  });

  it('alarms on Lambda throttles, DynamoDB throttles and system errors, and WebSocket failures', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Throttles' });
    for (const name of [
      'ReadThrottleEvents',
      'WriteThrottleEvents',
      'SystemErrors',
      'IntegrationError',
      'ExecutionError',
    ])
      expect(alarmOn(name), name).toHaveLength(1);
    expect(JSON.stringify(alarmOn('IntegrationError')[0])).toContain('"Stage"');
  });

  it('alarms on every function’s errors (ten per alarm), and every alarm notifies the topic', () => {
    const grouped = Object.values(alarms).filter((a) =>
      (a.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[] | undefined)?.some(
        (m) => m.MetricStat?.Metric.MetricName === 'Errors',
      ),
    );
    expect(grouped).toHaveLength(1);
    const watched = JSON.stringify(grouped[0]!.Properties.Metrics);
    expect(watched.match(/"MetricName":"Errors"/g)).toHaveLength(3);
    const [topicId] = Object.keys(t.findResources('AWS::SNS::Topic'));
    for (const [id, a] of Object.entries(alarms))
      expect(a.Properties.AlarmActions, id).toEqual([{ Ref: topicId }]);
  });

  it('has a dashboard of the visit funnel, ratings, call quality, texts, errors and latency', () => {
    const dashboards = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const metric of [
      'AppointmentBooked',
      'PatientCheckedIn',
      'VisitStarted',
      'VisitCompleted',
      'TimeToAdmit',
      'VisitDue',
      'NoShow',
      'LateJoin',
      'VisitRating',
      'CallRating',
      'CallRttP95',
      'CallPacketLossP95',
      'TechnicalProblem',
      'TextSent',
      'TextFailed',
      'TextUndelivered',
      'ServerError',
      'Latency',
    ])
      expect(body, metric).toContain(metric);
  });
});
