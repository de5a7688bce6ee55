import type { Role } from './roles';

/** Password rules shared by the Cognito user pool (CDK), the local pool and the web forms. */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: false,
} as const;

/** The longest password accepted (Cognito's own limit is 256). */
export const PASSWORD_MAX_LENGTH = 256;

export interface PasswordRule {
  id: 'length' | 'lowercase' | 'uppercase' | 'digit' | 'symbol';
  /** What the checklist shows, and what an error lists while the rule is not met. */
  label: string;
  /** The character the rule asks for; none for the length rule. */
  pattern?: RegExp;
  test: (password: string) => boolean;
}

const characterRule = (id: PasswordRule['id'], label: string, pattern: RegExp, required: boolean) =>
  required ? [{ id, label, pattern, test: (p: string) => pattern.test(p) }] : [];

/** Every rule of `PASSWORD_POLICY`, in the order the checklist shows them. */
export const PASSWORD_RULES: readonly PasswordRule[] = [
  {
    id: 'length',
    label: `At least ${PASSWORD_POLICY.minLength} characters`,
    test: (p) => p.length >= PASSWORD_POLICY.minLength,
  },
  ...characterRule('lowercase', 'A lowercase letter', /[a-z]/, PASSWORD_POLICY.requireLowercase),
  ...characterRule('uppercase', 'An uppercase letter', /[A-Z]/, PASSWORD_POLICY.requireUppercase),
  ...characterRule('digit', 'A digit', /[0-9]/, PASSWORD_POLICY.requireDigits),
  ...characterRule('symbol', 'A symbol such as ! or #', /[^A-Za-z0-9]/, PASSWORD_POLICY.requireSymbols),
];

/** The rules a password does not meet yet (empty when it meets them all). */
export function unmetPasswordRules(password: string): PasswordRule[] {
  return PASSWORD_RULES.filter((rule) => !rule.test(password));
}

/** Versions of the legal texts a patient accepts at registration. Bump when the text changes. */
export const TERMS_VERSION = '2026-11-01';
export const PRIVACY_VERSION = '2026-11-01';

/**
 * How long a sign-in lasts (docs/security.md, "Sessions"). The web app signs out after
 * `IDLE_SIGN_OUT_MINUTES` without activity in any of its tabs (the default of the local setting of
 * the same name and of the deployed web config), warning `IDLE_WARNING_SECONDS` before. A session
 * ends at the latest `SESSION_MAX_HOURS` after sign-in for staff (doctors, admins: the web app and the
 * API, from the token's `auth_time`) and `PATIENT_SESSION_MAX_DAYS` for patients (the web app, and the
 * refresh token's own validity). ID and access tokens live `TOKEN_VALIDITY_MINUTES`.
 */
export const IDLE_SIGN_OUT_MINUTES = 15;
export const IDLE_WARNING_SECONDS = 60;
export const SESSION_MAX_HOURS = 12;
export const PATIENT_SESSION_MAX_DAYS = 7;
export const TOKEN_VALIDITY_MINUTES = 15;

export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** Request headers browsers may send cross-origin: API Gateway's preflight and the handlers agree. */
/**
 * Names one user action across the web app, the API and the logs (docs/operations.md): the web app
 * sends it, the API echoes it and puts it in every log line of the request.
 */
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  CORRELATION_ID_HEADER,
];
/** Response headers the web app reads cross-origin (an export's file name, whether it was cut, ...). */
export const CORS_EXPOSED_HEADERS = [
  'Content-Disposition',
  'Retry-After',
  'X-Audit-Truncated',
  CORRELATION_ID_HEADER,
];

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
