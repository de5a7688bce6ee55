import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as v from 'valibot';
import type { HttpRoute } from '../routes';
import { Conflict } from './errors';
import { http } from './http';

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
        claims: { sub: 'user-1', email: 'a@example.com', 'cognito:groups': groups, ...(mfa ? { mfa } : {}) },
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
        identity: { userId: 'user-1', email: 'a@example.com', role: 'admin' },
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
        return (authenticatedAt ?? 0) > 1000;
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
    const ended = await http(adminRoute, { ...deps, sessions }, inner)(withTimes('1000', '1500'), context);
    expect(ended.statusCode).toBe(401);
    expect(JSON.parse(ended.body).error.code).toBe('unauthorized');
    expect(inner).not.toHaveBeenCalled();
    // API Gateway hands claims over as strings; the sign-in time (auth_time) counts, not iat.
    expect(asked).toEqual([['user-1', 1000]]);
    const current = await http(adminRoute, { ...deps, sessions }, inner)(withTimes('1001', '1001'), context);
    expect(current.statusCode).toBe(200);
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
