import { randomUUID } from 'node:crypto';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { BusinessEvent, BusinessMetrics, QualityMetrics } from '../core/ports';
import { runningOnLambda } from './config';
import { logger } from './logger';

/** CloudWatch namespace of every custom metric; the alarms and the dashboard read it (infra/aws/constructs/ops.ts). */
export const METRICS_NAMESPACE = 'Telehealth';
export const SERVICE_NAME = 'telehealth';

/**
 * Metrics and the slow-call log are on only inside Lambda. Locally and in tests nothing is written
 * and no SDK client is wrapped, so neither can slow or break anything there. (Tracing is Lambda's
 * active tracing, set by ProjectFunction: no tracing code ships in the bundles, docs/adr/0018-cold-start.md.)
 */
const onLambda = runningOnLambda();

export interface Telemetry extends BusinessMetrics, QualityMetrics {
  /** A failure the wrapper answered with a known error (4xx, or a known 5xx): by route and code. */
  handledError(route: string, code: string): void;
  /** An answer with status 5xx: by route, and in total (what the ServerError alarm watches). */
  serverError(route: string): void;
  /** How long the patient waited from check-in until the doctor admitted them (`TimeToAdmit`, ms). */
  timeToAdmit(visit: object): void;
}

/**
 * Each metric is published at once as its own EMF line (Powertools single metric), so nothing has
 * to be flushed at the end of an invocation and a crash loses nothing already counted. Dimensions
 * stay bounded: `service`, the route id (a fixed set) and the error code (a fixed set).
 */
export function emfTelemetry(enabled: boolean): Telemetry {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const publish = (
    name: string,
    dimensions: Record<string, string> = {},
    value = 1,
    unit: Parameters<Metrics['addMetric']>[1] = MetricUnit.Count,
  ) => {
    if (!enabled) return;
    const single = metrics.singleMetric();
    for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
    single.addMetric(name, unit, value);
  };
  return {
    count: (event: BusinessEvent) => publish(event),
    handledError: (route, code) => {
      publish('HandledError', { route, code });
      publish('HandledError');
    },
    serverError: (route) => {
      publish('ServerError', { route });
      publish('ServerError');
    },
    timeToAdmit: (visit) => {
      // Stored beside the appointment by check-in and admission (core/live.ts).
      const { checkedInAt, admittedAt } = visit as { checkedInAt?: unknown; admittedAt?: unknown };
      const waited = Date.parse(String(admittedAt)) - Date.parse(String(checkedInAt));
      if (Number.isFinite(waited) && waited >= 0) {
        publish('TimeToAdmit', {}, waited, MetricUnit.Milliseconds);
      }
    },
    // Ratings and call figures for the dashboard's averages and percentiles (no dimension: the
    // admin report breaks them down by doctor and browser).
    visitRated: (visitRating, callRating) => {
      publish('VisitRating', {}, visitRating, MetricUnit.NoUnit);
      publish('CallRating', {}, callRating, MetricUnit.NoUnit);
    },
    technicalProblems: (problems) => {
      for (const problem of problems) publish('TechnicalProblem', { problem });
      publish('TechnicalProblem');
    },
    callQuality: (summary, score) => {
      publish('CallQualityScore', {}, score, MetricUnit.NoUnit);
      publish('CallReconnects', {}, summary.reconnects);
      if (summary.rttMs) publish('CallRttP95', {}, summary.rttMs.p95, MetricUnit.Milliseconds);
      if (summary.packetLossPercent) {
        publish('CallPacketLossP95', {}, summary.packetLossPercent.p95, MetricUnit.Percent);
      }
    },
  };
}

export const telemetry: Telemetry = emfTelemetry(onLambda);

/**
 * The visit funnel, counted by the wrappers when the route that makes the step succeeds: one place
 * for every step, and the handlers and the core stay free of it. (Texts are counted where they are
 * sent, through the core's BusinessMetrics port.)
 */
const FUNNEL: Readonly<Record<string, BusinessEvent>> = {
  bookAppointment: 'AppointmentBooked',
  cancelAppointment: 'AppointmentCancelled',
  checkIn: 'PatientCheckedIn',
  admitPatient: 'VisitStarted',
  completeAppointment: 'VisitCompleted',
  endVisit: 'VisitCompleted',
  wsChatSend: 'ChatMessageSent',
};

/** Counts the funnel step the route stands for, if any, after it succeeded. */
export function countSuccess(routeId: string, sink: BusinessMetrics = telemetry): void {
  const event = FUNNEL[routeId];
  if (event) sink.count(event);
}

/** An AWS SDK call (retries included) taking this long or longer is logged. */
export const SLOW_AWS_CALL_MS = 100;

type Next = (args: any) => Promise<any>;
interface SdkClient {
  middlewareStack: {
    add(
      middleware: (next: Next, context: { clientName?: string; commandName?: string }) => Next,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/**
 * Logs every call of `client` that takes SLOW_AWS_CALL_MS or longer, retries included, as
 * `slow AWS call` with the client, the command and the duration (the request's correlation and
 * request ids come with the log context). It replaces the X-Ray SDK's subsegments, whose ~110 KB
 * cost every cold start (docs/adr/0018-cold-start.md); nothing is logged for a normal call.
 */
export function logSlowCalls<Client extends SdkClient>(
  client: Client,
  now: () => number = () => performance.now(),
): Client {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const started = now();
      try {
        return await next(args);
      } finally {
        const durationMs = Math.round(now() - started);
        if (durationMs >= SLOW_AWS_CALL_MS) {
          logger.warn('slow AWS call', {
            client: context.clientName,
            command: context.commandName,
            durationMs,
          });
        }
      }
    },
    { step: 'initialize', name: 'slowAwsCallLog' },
  );
  return client;
}

/** An AWS SDK v3 client whose slow calls are logged (on Lambda; unchanged elsewhere). */
export function logSlowCallsOnLambda<Client extends SdkClient>(client: Client): Client {
  return onLambda ? logSlowCalls(client) : client;
}

/** What a caller may send as `X-Correlation-Id`: short, and safe to put in a log line or header. */
const CORRELATION_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The caller's correlation id if well-formed, else a fresh one: a malformed id is never an error
 * (it is only a label for logs), it is just not trusted.
 */
export function correlationId(value: string | undefined): string {
  return value !== undefined && CORRELATION_ID.test(value) ? value : randomUUID();
}

/**
 * Puts the correlation id and the request id on every log line of this invocation (the wrapper's,
 * the handler's, the core's through its log port) and the Lambda context (function, cold start).
 * Lambda runs one invocation at a time per container; the keys are removed by `endLogContext`.
 */
export function beginLogContext(context: Context, keys: { correlationId: string; requestId: string }): void {
  logger.addContext(context);
  logger.appendKeys(keys);
}

export function endLogContext(): void {
  logger.removeKeys(['correlationId', 'requestId']);
}
