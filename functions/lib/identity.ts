import { effectiveRole } from '../../shared/roles';
import type { Identity } from '../core/identity';

export type { Identity };

/**
 * API Gateway's Cognito authorizer hands claims over as strings; `cognito:groups` arrives as
 * "a,b", "[a b]" or (from other sources) an array. Accept all three.
 */
export function parseGroups(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function identityFromClaims(claims: Record<string, unknown> | undefined | null): Identity | undefined {
  if (!claims) return undefined;
  const sub = claims.sub;
  const role = effectiveRole(parseGroups(claims['cognito:groups']));
  if (typeof sub !== 'string' || !sub || !role) return undefined;
  const identity: Identity = {
    userId: sub,
    email: typeof claims.email === 'string' ? claims.email : '',
    role,
  };
  const authenticatedAt = epochSeconds(claims.auth_time) ?? epochSeconds(claims.iat);
  if (authenticatedAt !== undefined) identity.authenticatedAt = authenticatedAt;
  return identity;
}

/**
 * `auth_time` first: a token refreshed with a refresh token keeps the time of the sign-in it came
 * from, so a session ended by "sign out everywhere" cannot come back through another device's refresh
 * token. Claims are numbers from a verifier, strings from API Gateway's Cognito authorizer.
 */
function epochSeconds(raw: unknown): number | undefined {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
