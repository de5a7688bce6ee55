import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as v from 'valibot';
import type { HttpRoute } from '../routes';
import { Conflict } from './errors';
import { http } from './http';
import { logger } from './logger';

const Body = v.strictObject({ name: v.pipe(v.string(), v.minLength(1, 'Name is required')) });

const adminRoute: HttpRoute<typeof Body> = {
  id: 'testRoute',
  method: 'POST',
  path: '/test',
  handler: 'test',
  access: 'write',
  roles: ['admin'],
  body: Body,
  response: {},
  summary: 'test',
};

const context = { awsRequestId: 'aws-req-1' } as Context;
/** The allowed origins come from the composition the handler is created with, not from the environment. */
const deps = { allowedOrigins: ['https://app.example'], sessions: { isCurrent: async () => true } };

/** When the test's caller signed in (epoch seconds): just now, within the staff session maximum. */
const signedIn = Math.floor(Date.now() / 1000);

function event(
  overrides: Partial<APIGatewayProxyEvent> = {},
  groups = 'admin',
  mfa: string | null = 'totp',
): APIGatewayProxyEvent {
  return {
    body: JSON.stringify({ name: 'x' }),
    headers: { 'Content-Type': 'application/json' },
    httpMethod: 'POST',
    path: '/test',
    requestContext: {
      requestId: 'req-1',
      authorizer: {
        claims: {
          sub: 'user-1',
          email: 'a@example.com',
          'cognito:groups': groups,
          auth_time: String(signedIn),
          ...(mfa ? { mfa } : {}),
        },
      },
    },
    ...overrides,
  } as unknown as APIGatewayProxyEvent;
}

describe('the http wrapper', () => {
  it('passes the validated body and the identity from verified claims to the handler', async () => {
    const inner = vi.fn(async () => ({ status: 201, body: { ok: true } }));
    const res = await http(adminRoute, deps, inner)(event(), context);
    expect(res.statusCode).toBe(201);
    expect(inner).toHaveBeenCalledWith(
      expect.objectContaining({
        body: { name: 'x' },
        identity: { userId: 'user-1', email: 'a@example.com', role: 'admin', authenticatedAt: signedIn },
      }),
    );
    expect(res.headers).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  });

  it('reads groups in every shape API Gateway uses', async () => {
    for (const groups of ['admin', 'patient,admin', '[patient admin]']) {
      const res = await http(adminRoute, deps, async () => ({ body: {} }))(event({}, groups), context);
      expect(res.statusCode).toBe(200);
    }
  });

  it.each([
    ['no claims', event({ requestContext: { requestId: 'r' } } as never), 401, 'unauthorized'],
    ['the wrong role', event({}, 'patient'), 403, 'forbidden'],
    ['no group at all', event({}, ''), 403, 'forbidden'],
    ['malformed JSON', event({ body: '{"name":' }), 400, 'invalid_json'],
    [
      'a wrong content type',
      event({ headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    ],
    [
      'an oversized body',
      event({ body: JSON.stringify({ name: 'x'.repeat(65 * 1024) }) }),
      413,
      'payload_too_large',
    ],
    [
      'an unknown field',
      event({ body: JSON.stringify({ name: 'x', role: 'admin' }) }),
      400,
      'validation_failed',
    ],
  ])('answers %s with %i and never calls the handler', async (_label, input, status, code) => {
    const inner = vi.fn(async () => ({ body: {} }));
    const res = await http(adminRoute, deps, inner)(input, context);
    expect(res.statusCode).toBe(status);
    expect(JSON.parse(res.body).error.code).toBe(code);
    expect(inner).not.toHaveBeenCalled();
  });

  it('reports schema problems per field', async () => {
    const res = await http(adminRoute, deps, async () => ({ body: {} }))(
      event({ body: '{"name":""}' }),
      context,
    );
    expect(JSON.parse(res.body).error.fields).toEqual({ name: 'Name is required' });
  });

  it('renders typed errors thrown by core with their status', async () => {
    const res = await http(adminRoute, deps, async () => {
      throw new Conflict('That slot is taken', 'slot_taken');
    })(event(), context);
    expect(res.statusCode).toBe(409);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'slot_taken', message: 'That slot is taken' } });
  });

  it('hides unexpected errors behind a 500 with only a request id', async () => {
    const res = await http(adminRoute, deps, async () => {
      throw new Error('secret detail: patient Jane Doe');
    })(event(), context);
    expect(res.statusCode).toBe(500);
    const body = JSON.parse(res.body);
    expect(body).toEqual({
      error: { code: 'internal_error', message: expect.any(String), requestId: 'req-1' },
    });
    expect(res.body).not.toContain('Jane');
  });

  it('lets public routes through without claims', async () => {
    const route = { ...adminRoute, roles: 'public' as const };
    const res = await http(route, deps, async ({ identity }) => ({
      body: { anonymous: identity === undefined },
    }))(event({ requestContext: { requestId: 'r' } } as never), context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ anonymous: true });
  });

  it('allows CORS only for the origins it was created with', async () => {
    const call = (origin: string) =>
      http(adminRoute, deps, async () => ({ body: {} }))(
        event({ headers: { 'Content-Type': 'application/json', Origin: origin } }),
        context,
      );
    expect((await call('https://app.example')).headers).toMatchObject({
      'Access-Control-Allow-Origin': 'https://app.example',
    });
    expect((await call('https://elsewhere.example')).headers).not.toHaveProperty(
      'Access-Control-Allow-Origin',
    );
  });

  it('refuses a session ended by "sign out everywhere" with 401, before the handler runs', async () => {
    const asked: [string, number | undefined][] = [];
    const sessions = {
      isCurrent: async (userId: string, authenticatedAt: number | undefined) => {
        asked.push([userId, authenticatedAt]);
        return (authenticatedAt ?? 0) > signedIn - 100;
      },
    };
    const inner = vi.fn(async () => ({ body: {} }));
    const withTimes = (auth_time: string, iat: string) =>
      event({
        requestContext: {
          requestId: 'req-1',
          authorizer: { claims: { sub: 'user-1', 'cognito:groups': 'admin', auth_time, iat, mfa: 'totp' } },
        },
      } as never);
    const ended = await http(
      adminRoute,
      { ...deps, sessions },
      inner,
    )(withTimes(String(signedIn - 100), String(signedIn - 50)), context);
    expect(ended.statusCode).toBe(401);
    expect(JSON.parse(ended.body).error.code).toBe('unauthorized');
    expect(inner).not.toHaveBeenCalled();
    // API Gateway hands claims over as strings; the sign-in time (auth_time) counts, not iat.
    expect(asked).toEqual([['user-1', signedIn - 100]]);
    const current = await http(
      adminRoute,
      { ...deps, sessions },
      inner,
    )(withTimes(String(signedIn - 99), String(signedIn - 99)), context);
    expect(current.statusCode).toBe(200);
  });

  it('refuses staff sign-ins older than 12 hours with 401 session_expired; patients are not capped here', async () => {
    const inner = vi.fn(async () => ({ body: {} }));
    const signedInAgo = (seconds: number, groups: string) =>
      event({
        requestContext: {
          requestId: 'req-1',
          authorizer: {
            claims: {
              sub: 'user-1',
              'cognito:groups': groups,
              auth_time: String(signedIn - seconds),
              mfa: 'totp',
            },
          },
        },
      } as never);
    const old = await http(adminRoute, deps, inner)(signedInAgo(12 * 3600 + 60, 'admin'), context);
    expect(old.statusCode).toBe(401);
    expect(JSON.parse(old.body).error.code).toBe('session_expired');
    expect(inner).not.toHaveBeenCalled();
    const recent = await http(adminRoute, deps, inner)(signedInAgo(11 * 3600, 'admin'), context);
    expect(recent.statusCode).toBe(200);
    const patientRoute = { ...adminRoute, roles: ['patient' as const] };
    const patient = await http(patientRoute, deps, inner)(signedInAgo(12 * 3600 + 60, 'patient'), context);
    expect(patient.statusCode).toBe(200);
  });

  it('checks no session on public routes and none for a caller refused by role', async () => {
    const isCurrent = vi.fn(async () => false);
    const publicRoute = { ...adminRoute, roles: 'public' as const };
    const open = await http(publicRoute, { ...deps, sessions: { isCurrent } }, async () => ({ body: {} }))(
      event(),
      context,
    );
    expect(open.statusCode).toBe(200);
    const wrongRole = await http(adminRoute, { ...deps, sessions: { isCurrent } }, async () => ({
      body: {},
    }))(event({}, 'patient'), context);
    expect(wrongRole.statusCode).toBe(403);
    expect(isCurrent).not.toHaveBeenCalled();
  });

  it('refuses staff without two-step sign-in (403 mfa_enrollment_required) except where they enrol', async () => {
    const inner = vi.fn(async () => ({ body: {} }));
    const staffRoute = { ...adminRoute, roles: ['admin', 'doctor', 'patient'] as const };
    for (const [groups, mfa] of [
      ['admin', 'none'],
      ['doctor', null],
    ] as const) {
      const res = await http(staffRoute, deps, inner)(event({}, groups, mfa), context);
      expect(res.statusCode).toBe(403);
      expect(JSON.parse(res.body).error.code).toBe('mfa_enrollment_required');
    }
    expect(inner).not.toHaveBeenCalled();
    const getMe = { ...staffRoute, id: 'getMe' };
    expect((await http(getMe, deps, inner)(event({}, 'doctor', 'none'), context)).statusCode).toBe(200);
    const patient = await http(staffRoute, deps, inner)(event({}, 'patient', 'none'), context);
    expect(patient.statusCode).toBe(200);
  });
});

describe('reads of patient data', () => {
  const readRoute = {
    ...adminRoute,
    method: 'GET',
    body: undefined,
    access: 'audit',
    audits: 'appointment.read',
    roles: ['doctor'],
  } as const satisfies HttpRoute;
  const getEvent = () => event({ body: null, httpMethod: 'GET', headers: {} }, 'doctor');

  it('records one entry per subject, with actor, role and request id, before answering', async () => {
    const recorded: unknown[] = [];
    const audit = { record: async (entry: unknown) => void recorded.push(entry) };
    const res = await http(readRoute, { ...deps, audit }, async () => ({
      body: { ok: true },
      audit: [{ patientId: 'pat-1', targetId: 'appt-1' }, { patientId: 'pat-2' }],
    }))(getEvent(), context);
    expect(res.statusCode).toBe(200);
    expect(recorded).toEqual([
      {
        action: 'appointment.read',
        actorId: 'user-1',
        actorRole: 'doctor',
        patientId: 'pat-1',
        targetId: 'appt-1',
        requestId: 'req-1',
      },
      {
        action: 'appointment.read',
        actorId: 'user-1',
        actorRole: 'doctor',
        patientId: 'pat-2',
        requestId: 'req-1',
      },
    ]);
  });

  it('answers no data when the audit entry cannot be written', async () => {
    const audit = {
      record: async () => {
        throw new Error('table unavailable');
      },
    };
    const res = await http(readRoute, { ...deps, audit }, async () => ({
      body: { secret: 'clinical text' },
      audit: [{ patientId: 'pat-1' }],
    }))(getEvent(), context);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('clinical text');
  });

  it('sends a non-JSON answer as it is, with its media type, and errors as JSON', async () => {
    const csvRoute = { ...readRoute, produces: 'text/csv' } as const satisfies HttpRoute;
    const audit = { record: async () => undefined };
    const res = await http(csvRoute, { ...deps, audit }, async () => ({
      body: 'a,b\r\n',
      headers: { 'Content-Disposition': 'attachment; filename="x.csv"' },
      audit: [],
    }))(getEvent(), context);
    expect(res.body).toBe('a,b\r\n');
    expect(res.headers).toMatchObject({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="x.csv"',
      'X-Content-Type-Options': 'nosniff',
    });
    const refused = await http(csvRoute, { ...deps, audit }, async () => {
      throw new Conflict('no');
    })(getEvent(), context);
    expect(refused.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
  });
});

describe('form bodies', () => {
  const formRoute = { ...adminRoute, consumes: 'form' } as const satisfies HttpRoute<typeof Body>;
  const form = (body: string, contentType = 'application/x-www-form-urlencoded; charset=utf-8') =>
    event({ body, headers: { 'Content-Type': contentType } });

  it('parses a form body only on a route that declares one, then validates it like JSON', async () => {
    const inner = vi.fn(async () => ({ body: {} }));
    const res = await http(formRoute, deps, inner)(form('name=A%20b%2Bc'), context);
    expect(res.statusCode).toBe(200);
    expect(inner).toHaveBeenCalledWith(expect.objectContaining({ body: { name: 'A b+c' } }));
    const invalid = await http(formRoute, deps, inner)(form('name=&role=admin'), context);
    expect(invalid.statusCode).toBe(400);
    expect(inner).toHaveBeenCalledTimes(1);
  });

  it('answers 415 for JSON on a form route and for a form on a JSON route', async () => {
    const inner = vi.fn(async () => ({ body: {} }));
    const json = await http(formRoute, deps, inner)(event(), context);
    expect(json.statusCode).toBe(415);
    expect(JSON.parse(json.body)).toMatchObject({
      error: { message: 'Send the body as application/x-www-form-urlencoded' },
    });
    expect((await http(adminRoute, deps, inner)(form('name=x'), context)).statusCode).toBe(415);
    expect(inner).not.toHaveBeenCalled();
  });
});

describe('correlation ids', () => {
  /** JSON log lines the logger writes to stdout while `run` runs. */
  async function logLines(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
    const chunks: string[] = [];
    const level = logger.getLevelName();
    // Tests run with POWERTOOLS_LOG_LEVEL=SILENT; these look at the lines themselves.
    logger.setLogLevel('INFO');
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      chunks.push(String(chunk));
      return true;
    });
    try {
      await run();
    } finally {
      spy.mockRestore();
      logger.setLogLevel(level);
    }
    return chunks
      .flatMap((c) => c.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
  }

  it("echoes the caller's id and puts it, with the request id, on the handler's log lines", async () => {
    let res: Awaited<ReturnType<ReturnType<typeof http>>> | undefined;
    const lines = await logLines(async () => {
      res = await http(adminRoute, deps, async () => {
        logger.info('inside the handler');
        return { body: {} };
      })(event({ headers: { 'Content-Type': 'application/json', 'x-correlation-id': 'click-7' } }), context);
    });
    expect(res!.headers!['X-Correlation-Id']).toBe('click-7');
    const inside = lines.find((l) => l.message === 'inside the handler');
    expect(inside).toMatchObject({ correlationId: 'click-7', requestId: 'req-1' });
    expect(lines.find((l) => l.message === 'request')).toMatchObject({ correlationId: 'click-7' });
  });

  it('replaces a malformed id with a fresh one instead of refusing the request', async () => {
    const res = await http(adminRoute, deps, async () => ({ body: {} }))(
      event({ headers: { 'Content-Type': 'application/json', 'X-Correlation-Id': 'not valid; id' } }),
      context,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers!['X-Correlation-Id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers errors with the id too, and does not carry it into the next request', async () => {
    const failing = http(adminRoute, deps, async () => {
      throw new Conflict('Taken');
    });
    const res = await failing(
      event({ headers: { 'Content-Type': 'application/json', 'X-Correlation-Id': 'first' } }),
      context,
    );
    expect(res.headers!['X-Correlation-Id']).toBe('first');
    const lines = await logLines(async () => logger.info('between requests'));
    expect(lines[0]).not.toHaveProperty('correlationId');
  });
});
