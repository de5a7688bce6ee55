import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpRouteList } from '../../functions/routes';
import type { RouteId } from '../../shared/contract';
import { errorOf } from '../../shared/fhir';
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
import { asGuest, visitWithGuest } from './guests';

/** Placeholder values for the path parameters of a route. */
const placeholders = (path: string) =>
  Object.fromEntries([...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, 'placeholder']));

const protectedRoutes = httpRouteList.filter((r) => r.roles !== 'public');
/**
 * Every route is called by its contract id, with placeholder path parameters. The `/fhir` routes
 * answer OperationOutcomes: `errorOf` reads the error code from either shape.
 */
const request = (
  route: (typeof protectedRoutes)[number],
  extra: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) => call(route.id as RouteId, { params: placeholders(route.path), ...extra });

/**
 * Signing out ends the caller's sessions: that route runs on the role's claims with a throwaway
 * `sub`, never on the demo users every other test signs in as.
 */
async function tokenToSpend(id: RouteId, role: Role): Promise<string> {
  const token = await tokenForRole(role);
  if (id !== 'signOutEverywhere') return token;
  return signWithCognitoLocalKey({ ...decodePayload(token), sub: randomUUID() });
}

describe('the authorization matrix, generated from the routes table', () => {
  for (const route of protectedRoutes) {
    const allowed = route.roles as readonly string[];
    for (const role of ROLES.filter((r) => !allowed.includes(r))) {
      it(`${route.method} ${route.path} refuses a ${role} with 403`, async () => {
        const res = await request(route, { token: await tokenForRole(role), body: {} });
        expect(res.status).toBe(403);
        expect(errorOf(res.json)?.code).toBe('forbidden');
      });
    }
    for (const role of allowed as readonly Role[]) {
      it(`${route.method} ${route.path} lets a ${role} past authorization`, async () => {
        const res = await request(route, { token: await tokenToSpend(route.id as RouteId, role), body: {} });
        // Past the role check: anything but 401 and the wrapper's role refusal (403 `forbidden`).
        expect(res.status).not.toBe(401);
        expect(res.status === 403 && errorOf(res.json)?.code === 'forbidden').toBe(false);
      });
    }
    it(`${route.method} ${route.path} refuses a request without a token with 401`, async () => {
      const res = await request(route);
      expect(res.status).toBe(401);
      expect(errorOf(res.json)?.code).toBe('unauthorized');
    });
  }
});

describe('visit sessions in the authorization matrix (docs/adr/0021-visit-passes.md)', () => {
  const passRoutes = httpRouteList.filter((r) => r.passHolders);
  let guest: Awaited<ReturnType<typeof visitWithGuest>>;
  beforeAll(async () => {
    guest = await visitWithGuest();
  });

  for (const route of protectedRoutes) {
    it(`${route.method} ${route.path} refuses a live guest visit session with 401`, async () => {
      const res = await request(route, { headers: asGuest(guest.session), body: {} });
      expect(res.status).toBe(401);
    });
  }
  for (const route of passRoutes) {
    it(`${route.method} ${route.path} refuses no session and a Cognito token with 401`, async () => {
      for (const token of [undefined, await tokenForRole('patient'), await tokenForRole('doctor')]) {
        const res = await request(route, { ...(token ? { token } : {}), body: {} });
        expect(res.status).toBe(401);
        expect(res.json.error.code).toBe('unauthorized');
      }
    });
    if (route.passHolders?.includes('guest')) {
      it(`${route.method} ${route.path} lets a live guest visit session past authorization`, async () => {
        const res = await request(route, { headers: asGuest(guest.session), body: {} });
        expect(res.status).not.toBe(401);
        expect(res.status === 403 && res.json.error.code === 'forbidden').toBe(false);
      });
    } else {
      // The patient's own visit-link routes (no-show rescue): a guest's session is refused.
      it(`${route.method} ${route.path} refuses a live guest visit session with 403`, async () => {
        const res = await request(route, { headers: asGuest(guest.session), body: {} });
        expect(res.status).toBe(403);
        expect(res.json.error.code).toBe('forbidden');
      });
    }
  }
});

describe('tokens', () => {
  it('accepts a valid ID token', async () => {
    const res = await call('getMe', { token: await tokenForRole('patient') });
    expect(res.status).toBe(200);
  });

  it('refuses a tampered token with 401', async () => {
    const res = await call('getMe', { token: tamper(await tokenForRole('patient')) });
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
    expect((await call('getMe', { token: expired })).status).toBe(401);
    // Same key and claims, not expired: accepted — so the 401 above is about expiry alone.
    const fresh = signWithCognitoLocalKey({ ...claims, iat: now, exp: now + 600 });
    expect((await call('getMe', { token: fresh })).status).toBe(200);
  });

  it('refuses a token from a foreign issuer with 401', async () => {
    const claims = decodePayload(await tokenForRole('patient'));
    const wrongIssuer = signWithCognitoLocalKey({ ...claims, iss: 'http://127.0.0.1:1/local_foreign' });
    expect((await call('getMe', { token: wrongIssuer })).status).toBe(401);
    const wrongKey = signWithForeignKey(claims);
    expect((await call('getMe', { token: wrongKey })).status).toBe(401);
  });

  it('refuses a token for another app client and an access token with 401', async () => {
    const claims = decodePayload(await tokenForRole('patient'));
    const otherClient = signWithCognitoLocalKey({ ...claims, aud: 'some-other-client' });
    expect((await call('getMe', { token: otherClient })).status).toBe(401);
    const accessToken = signWithCognitoLocalKey({ ...claims, token_use: 'access' });
    expect((await call('getMe', { token: accessToken })).status).toBe(401);
  });

  it('takes the role from the verified groups claim, never from anything the caller sends', async () => {
    const res = await call('createDoctor', {
      token: await tokenForRole('patient'),
      body: { email: 'x@example.com', name: 'X', specialty: 'Y', role: 'admin', 'cognito:groups': ['admin'] },
    });
    expect(res.status).toBe(403);
  });

  it('has the platform on loopback', () => {
    expect(new URL(platform().url).hostname).toBe('127.0.0.1');
  });
});
