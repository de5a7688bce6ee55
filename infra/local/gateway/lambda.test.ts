/**
 * A real handler module, composed the three ways it is loaded: in Lambda (a missing setting fails the
 * cold start naming the variable), under plain Node (composed on first call), and by the local
 * platform (`create` on the platform's deps; the environment is never read).
 */
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { profileArea } from '../../../functions/adapters/wiring/profile';
import { handlerLoader } from './lambda';

describe('a handler module', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('fails at cold start in Lambda with a ConfigurationError naming the missing variable', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'get-me');
    vi.stubEnv('TABLE_NAME', '');
    vi.resetModules();
    const failure = await import('../../../functions/handlers/get-me').then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failure?.name).toBe('ConfigurationError');
    expect(failure?.message).toMatch(/TABLE_NAME is required/);
  });

  it('imports without reading its configuration outside Lambda, and composes on first call', async () => {
    vi.stubEnv('TABLE_NAME', '');
    vi.resetModules();
    const mod = await import('../../../functions/handlers/get-me');
    expect(mod.area.name).toBe(profileArea.name);
    // Now composed from the (incomplete) environment: the call fails naming the variable.
    expect(() => mod.handler({} as never, {} as Context)).toThrow(/TABLE_NAME is required/);
  });

  it('on the local platform is created on the deps of its area, with no environment at all', async () => {
    for (const name of ['USER_POOL_ID', 'USER_POOL_CLIENT_ID', 'TABLE_NAME', 'AWS_REGION'])
      vi.stubEnv(name, '');
    const areas: unknown[] = [];
    const profile = { userId: 'u-1', role: 'patient', name: 'Pat', email: 'p@example.com', createdAt: 'x' };
    const loadHandler = handlerLoader((area) => {
      areas.push(area);
      return {
        allowedOrigins: [],
        sessions: { isCurrent: async () => true },
        profiles: { get: async () => profile, put: async () => undefined },
      };
    });
    const handler = await loadHandler('get-me');
    expect(await loadHandler('get-me')).toBe(handler);
    expect(areas).toEqual([expect.objectContaining({ name: profileArea.name })]);
    const result = (await handler(
      {
        httpMethod: 'GET',
        path: '/me',
        headers: {},
        requestContext: {
          requestId: 'r-1',
          authorizer: { claims: { sub: 'u-1', email: 'p@example.com', 'cognito:groups': 'patient' } },
        },
      },
      { awsRequestId: 'a-1' } as Context,
    )) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ profile: { userId: 'u-1' } });
  });
});
