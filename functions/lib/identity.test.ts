import { describe, expect, it } from 'vitest';
import { identityFromClaims, parseGroups } from './identity';

describe('identity from claims', () => {
  it('parses groups as arrays, comma lists and bracketed lists', () => {
    expect(parseGroups(['doctor'])).toEqual(['doctor']);
    expect(parseGroups('doctor,admin')).toEqual(['doctor', 'admin']);
    expect(parseGroups('[doctor admin]')).toEqual(['doctor', 'admin']);
    expect(parseGroups(undefined)).toEqual([]);
  });

  it('picks the most privileged role and ignores unknown groups', () => {
    expect(identityFromClaims({ sub: 'u', 'cognito:groups': 'patient,admin' })?.role).toBe('admin');
    expect(identityFromClaims({ sub: 'u', 'cognito:groups': 'superuser' })).toBeUndefined();
    expect(identityFromClaims({ 'cognito:groups': 'patient' })).toBeUndefined();
  });

  it('takes the sign-in time from auth_time, else iat, as numbers or API Gateway strings', () => {
    const base = { sub: 'u', 'cognito:groups': 'patient' };
    expect(identityFromClaims({ ...base, auth_time: '100', iat: '200' })?.authenticatedAt).toBe(100);
    expect(identityFromClaims({ ...base, iat: 200 })?.authenticatedAt).toBe(200);
    expect(identityFromClaims({ ...base, iat: 'soon' })?.authenticatedAt).toBeUndefined();
    expect(identityFromClaims(base)).toEqual({ userId: 'u', email: '', role: 'patient' });
  });
});
