import type { Role } from './roles';

/** Password rules shared by the Cognito user pool (CDK), the local pool and the web forms. */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: false,
} as const;

/** Versions of the legal texts a patient accepts at registration. Bump when the text changes. */
export const TERMS_VERSION = '2026-11-01';
export const PRIVACY_VERSION = '2026-11-01';

/**
 * How long a browser sign-in lasts: it ends when no tab of the app has been open for the idle time,
 * or this long after sign-in, whichever comes first. The web app enforces both; Cognito's refresh
 * token lives exactly the maximum, so no token outlives the session rules.
 */
export const SESSION_IDLE_MINUTES = 30;
export const SESSION_MAX_HOURS = 12;

export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** Request headers browsers may send cross-origin: API Gateway's preflight and the handlers agree. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key'];

/**
 * Headers on every API answer: the handlers' own, the local gateway's and API Gateway's gateway
 * responses (401, 403, 404, 413, 429, 4xx/5xx defaults). One list, so none of them can drift.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

/**
 * Two-step sign-in: staff (doctors, admins) must use an authenticator app (TOTP); patients may.
 * The PreTokenGeneration trigger writes `mfa: 'totp' | 'none'` into every ID token from the user's
 * MFA settings; the REST wrapper and the WebSocket `$connect` authorizer refuse staff tokens without
 * `totp` (403 `mfa_enrollment_required`), except on the routes needed to enrol and to sign out.
 */
export const MFA_CLAIM = 'mfa';
export type MfaClaim = 'totp' | 'none';
export const MFA_REQUIRED_ROLES: readonly Role[] = ['doctor', 'admin'];
export const ROUTES_BEFORE_MFA: readonly string[] = ['getMe', 'signOutEverywhere'];

/** True when this role's token may not be used here (a REST route id; none for the WebSocket API). */
export function mfaEnrolmentRequired(role: Role, mfaClaim: unknown, routeId?: string): boolean {
  if (!MFA_REQUIRED_ROLES.includes(role) || mfaClaim === 'totp') return false;
  return routeId === undefined || !ROUTES_BEFORE_MFA.includes(routeId);
}
