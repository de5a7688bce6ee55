import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusinessEvent } from '../core/ports';
import { logger } from './logger';
import { correlationId, countSuccess, emfTelemetry, logSlowCalls, SLOW_AWS_CALL_MS } from './telemetry';

/** The EMF records written to stdout while `run` runs (Powertools prints one JSON line per metric). */
function emitted(run: () => void): Record<string, any>[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line));
}

afterEach(() => vi.restoreAllMocks());

describe('metrics', () => {
  it('counts a handled error by route and code, and in total', () => {
    const records = emitted(() => emfTelemetry(true).handledError('bookAppointment', 'conflict'));
    expect(records).toHaveLength(2);
    const [byRoute, total] = records;
    expect(byRoute!._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Telehealth',
      Dimensions: [['service', 'route', 'code']],
      Metrics: [{ Name: 'HandledError', Unit: 'Count' }],
    });
    expect(byRoute).toMatchObject({ service: 'telehealth', route: 'bookAppointment', code: 'conflict' });
    expect(total!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    expect(total!.HandledError).toBe(1);
  });

  it('counts server errors and business events under the service dimension', () => {
    const records = emitted(() => {
      const t = emfTelemetry(true);
      t.serverError('getMe');
      t.count('TextFailed');
    });
    expect(records.map((r) => r._aws.CloudWatchMetrics[0].Metrics[0].Name)).toEqual([
      'ServerError',
      'ServerError',
      'TextFailed',
    ]);
    expect(records[2]).toMatchObject({ service: 'telehealth', TextFailed: 1 });
  });

  it('measures the wait from check-in to admission, and nothing without both times', () => {
    const records = emitted(() => {
      const t = emfTelemetry(true);
      t.timeToAdmit({ checkedInAt: '2026-03-10T15:00:00.000Z', admittedAt: '2026-03-10T15:04:30.000Z' });
      t.timeToAdmit({ admittedAt: '2026-03-10T15:04:30.000Z' });
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ TimeToAdmit: 270_000 });
    expect(records[0]!._aws.CloudWatchMetrics[0].Metrics[0]).toEqual({
      Name: 'TimeToAdmit',
      Unit: 'Milliseconds',
    });
  });

  it('publishes ratings, technical problems by kind and call figures, with units', () => {
    const records = emitted(() => {
      const t = emfTelemetry(true);
      t.visitRated(4, 2);
      t.technicalProblems(['no_audio']);
      t.callQuality(
        {
          browser: 'firefox',
          provider: 'p2p',
          samples: 10,
          durationSeconds: 50,
          reconnects: 1,
          rttMs: { p50: 40, p95: 120 },
          packetLossPercent: { p50: 0, p95: 1.5 },
        },
        4,
      );
    });
    const byName = Object.fromEntries(
      records.map((r) => [
        `${r._aws.CloudWatchMetrics[0].Metrics[0].Name}${r.problem ? `/${r.problem}` : ''}`,
        r,
      ]),
    );
    expect(byName.VisitRating).toMatchObject({ VisitRating: 4 });
    expect(byName.CallRating).toMatchObject({ CallRating: 2 });
    expect(byName['TechnicalProblem/no_audio']).toMatchObject({ TechnicalProblem: 1 });
    expect(byName.TechnicalProblem!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    expect(byName.CallQualityScore).toMatchObject({ CallQualityScore: 4 });
    expect(byName.CallRttP95!._aws.CloudWatchMetrics[0].Metrics[0]).toEqual({
      Name: 'CallRttP95',
      Unit: 'Milliseconds',
    });
    expect(byName.CallPacketLossP95).toMatchObject({ CallPacketLossP95: 1.5 });
    expect(byName.CallReconnects).toMatchObject({ CallReconnects: 1 });
  });

  it('writes nothing when off (locally and in tests)', () => {
    expect(
      emitted(() => {
        const t = emfTelemetry(false);
        t.serverError('getMe');
        t.count('AppointmentBooked');
      }),
    ).toEqual([]);
  });
});

describe('the visit funnel', () => {
  it('counts the step a successful route stands for, and nothing for other routes', () => {
    const counted: BusinessEvent[] = [];
    const sink = { count: (event: BusinessEvent) => void counted.push(event) };
    for (const id of ['bookAppointment', 'checkIn', 'admitPatient', 'endVisit', 'wsChatSend', 'getMe'])
      countSuccess(id, sink);
    expect(counted).toEqual([
      'AppointmentBooked',
      'PatientCheckedIn',
      'VisitStarted',
      'VisitCompleted',
      'ChatMessageSent',
    ]);
  });
});

describe('correlation ids', () => {
  it('keeps a well-formed id', () => {
    expect(correlationId('a1B2-c3')).toBe('a1B2-c3');
    expect(correlationId('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('replaces a missing, long or unsafe id with a fresh one', () => {
    for (const bad of [undefined, '', 'x'.repeat(65), 'a b', 'a\nb', '<script>', 'a_b']) {
      const id = correlationId(bad);
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(correlationId(undefined)).not.toBe(correlationId(undefined));
  });
});

describe('slow AWS calls', () => {
  /** A document client on a DynamoDB client answering `{}` at once, its clock stepping by `stepMs` per reading. */
  function tableClient(stepMs: number) {
    let clock = 0;
    const client = new DynamoDBClient({
      region: 'eu-central-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: {
        handle: async () => ({
          response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from('{}')]) },
        }),
      },
    });
    return DynamoDBDocumentClient.from(logSlowCalls(client, () => (clock += stepMs)));
  }

  async function warnings(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
    const chunks: string[] = [];
    const level = logger.getLevelName();
    // Tests run with POWERTOOLS_LOG_LEVEL=SILENT; these look at the lines themselves.
    logger.setLogLevel('INFO');
    const capture = (chunk: unknown) => {
      chunks.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      await run();
    } finally {
      out.mockRestore();
      err.mockRestore();
      logger.setLogLevel(level);
    }
    return chunks
      .flatMap((c) => c.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .filter((line) => line.message === 'slow AWS call');
  }

  const get = new GetCommand({ TableName: 't', Key: { pk: 'p', sk: 's' } });

  it('logs a call that takes the threshold or longer, naming the client and command, never the key', async () => {
    const lines = await warnings(() => tableClient(SLOW_AWS_CALL_MS).send(get));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'WARN',
      client: 'DynamoDBClient',
      command: 'GetItemCommand',
      durationMs: SLOW_AWS_CALL_MS,
    });
    expect(JSON.stringify(lines[0])).not.toContain('"p"');
  });

  it('logs nothing for a faster call', async () => {
    expect(await warnings(() => tableClient(SLOW_AWS_CALL_MS - 1).send(get))).toEqual([]);
  });
});
