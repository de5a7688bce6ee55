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
  return { userId: sub, email: typeof claims.email === 'string' ? claims.email : '', role };
}
