import { describe, expect, it } from 'vitest';
import { httpRouteList } from '../../functions/routes';
import { ROLES, type Role } from '../../shared/roles';
import {
  call,
  decodePayload,
  platform,
  signWithCognitoLocalKey,
  signWithForeignKey,
  tamper,
  tokenForRole,
} from './support';

/** A path with placeholder values for its parameters. */
const concrete = (path: string) => path.replace(/\{\w+\}/g, 'placeholder');

const protectedRoutes = httpRouteList.filter((r) => r.roles !== 'public');

describe('the authorization matrix, generated from the routes table', () => {
  for (const route of protectedRoutes) {
    const allowed = route.roles as readonly string[];
    for (const role of ROLES.filter((r) => !allowed.includes(r))) {
      it(`${route.method} ${route.path} refuses a ${role} with 403`, async () => {
        const res = await call(route.method, concrete(route.path), {
          token: await tokenForRole(role),
          body: {},
        });
        expect(res.status).toBe(403);
        expect(res.json.error.code).toBe('forbidden');
      });
    }
    for (const role of allowed as readonly Role[]) {
      it(`${route.method} ${route.path} lets a ${role} past authorization`, async () => {
        const res = await call(route.method, concrete(route.path), {
          token: await tokenForRole(role),
          body: {},
        });
        // Past the role check: anything but 401 and the wrapper's role refusal (403 `forbidden`).
        expect(res.status).not.toBe(401);
        expect(res.status === 403 && res.json.error.code === 'forbidden').toBe(false);
      });
    }
    it(`${route.method} ${route.path} refuses a request without a token with 401`, async () => {
      const res = await call(route.method, concrete(route.path));
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    });
  }
});

describe('tokens', () => {
  const route = protectedRoutes.find((r) => r.id === 'getMe')!;

  it('accepts a valid ID token', async () => {
    const res = await call('GET', route.path, { token: await tokenForRole('patient') });
    expect(res.status).toBe(200);
  });

  it('refuses a tampered token with 401', async () => {
    const res = await call('GET', route.path, { token: tamper(await tokenForRole('patient')) });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('refuses a correctly signed but expired token with 401', async () => {
    const claims = decodePayload(await tokenForRole('patient'));
    const now = Math.floor(Date.now() / 1000);
    const expired = signWithCognitoLocalKey({
      ...claims,
      iat: now - 7200,
      auth_time: now - 7200,
      exp: now - 3600,
    });
    expect((await call('GET', route.path, { token: expired })).status).toBe(401);
    // Same key and claims, not expired: accepted — so the 401 above is about expiry alone.
    const fresh = signWithCognitoLocalKey({ ...claims, iat: now, exp: now + 600 });
    expect((await call('GET', route.path, { token: fresh })).status).toBe(200);
  });

  it('refuses a token from a foreign issuer with 401', async () => {
    const claims = decodePayload(await tokenForRole('patient'));
    const wrongIssuer = signWithCognitoLocalKey({ ...claims, iss: 'http://127.0.0.1:1/local_foreign' });
    expect((await call('GET', route.path, { token: wrongIssuer })).status).toBe(401);
    const wrongKey = signWithForeignKey(claims);
    expect((await call('GET', route.path, { token: wrongKey })).status).toBe(401);
  });

  it('refuses a token for another app client and an access token with 401', async () => {
    const claims = decodePayload(await tokenForRole('patient'));
    const otherClient = signWithCognitoLocalKey({ ...claims, aud: 'some-other-client' });
    expect((await call('GET', route.path, { token: otherClient })).status).toBe(401);
    const accessToken = signWithCognitoLocalKey({ ...claims, token_use: 'access' });
    expect((await call('GET', route.path, { token: accessToken })).status).toBe(401);
  });

  it('takes the role from the verified groups claim, never from anything the caller sends', async () => {
    const res = await call('POST', '/admin/doctors', {
      token: await tokenForRole('patient'),
      body: { email: 'x@example.com', name: 'X', specialty: 'Y', role: 'admin', 'cognito:groups': ['admin'] },
    });
    expect(res.status).toBe(403);
  });

  it('has the platform on loopback', () => {
    expect(new URL(platform().url).hostname).toBe('127.0.0.1');
  });
});
