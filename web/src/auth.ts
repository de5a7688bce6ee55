import type { CognitoUser, CognitoUserPool, CognitoUserSession } from 'amazon-cognito-identity-js';
import type { WebConfig } from '../../shared/api';
import { loadConfig } from './config';
import { idleSignOutNotice, maxSessionMs, parseStamp, sessionEnd } from './session-rules';

/**
 * One sign-in per browser: tokens live in localStorage, which only this origin can read, so a new tab
 * or a reopened call tab stays signed in. They last no longer than the session rules allow
 * (`session-rules.ts`): the stamp next to them says when the session started and when there was last
 * activity in a tab of the app (`idle.ts`). Sign-out clears them for every tab at once (docs/security.md).
 */
const storage = typeof window === 'undefined' ? undefined : window.localStorage;
const STAMP_KEY = 'telehealth.session';
/** Why the app ended the last session (the login page says it); gone at the next sign-in. */
const NOTICE_KEY = 'telehealth.signed-out';

const readStamp = () => parseStamp(storage?.getItem(STAMP_KEY) ?? null);

function stampSignIn(): void {
  const now = Date.now();
  storage?.removeItem(NOTICE_KEY);
  storage?.setItem(STAMP_KEY, JSON.stringify({ startedAt: now, seenAt: now }));
}

/** Activity in a tab of the app keeps the session alive, but never revives one that has run out. */
export function markActive(idleMs: number): void {
  const stamp = readStamp();
  const now = Date.now();
  if (stamp && now - stamp.seenAt < idleMs)
    storage?.setItem(STAMP_KEY, JSON.stringify({ ...stamp, seenAt: now }));
}

/** The last activity in any tab of the app (epoch ms); undefined when signed out. */
export const lastActivity = (): number | undefined => readStamp()?.seenAt;

/** Why the app signed this browser out last time, if it did. */
export const signedOutNotice = (): string | undefined => storage?.getItem(NOTICE_KEY) ?? undefined;

/** The Cognito library, downloaded on first need (web/src/cognito.ts); safe to call early to warm it. */
export const cognitoLibrary = () => import('./cognito');

let poolPromise: Promise<CognitoUserPool> | undefined;

async function pool(): Promise<CognitoUserPool> {
  poolPromise ??= Promise.all([cognitoLibrary(), loadConfig()]).then(
    ([{ CognitoUserPool }, config]) =>
      new CognitoUserPool({
        UserPoolId: config.userPoolId,
        ClientId: config.userPoolClientId,
        endpoint: config.cognitoEndpoint,
        Storage: storage,
      }),
  );
  return poolPromise;
}

export async function cognitoUser(email: string): Promise<CognitoUser> {
  const [userPool, config, { CognitoUser }] = await Promise.all([pool(), loadConfig(), cognitoLibrary()]);
  const user = new CognitoUser({ Username: email, Pool: userPool, Storage: storage });
  user.setAuthenticationFlowType(config.authFlow);
  return user;
}

export class AuthError extends Error {}
/** The account exists but its email is not confirmed yet (web/src/signup.ts confirms it). */
export class EmailNotConfirmed extends AuthError {}

export function friendly(err: unknown, during: 'signIn' | 'code' | 'other' = 'other'): AuthError {
  const e = err as { code?: string; name?: string; message?: string };
  const code = e.code ?? e.name;
  // The sign-in's challenge session has run out (a few minutes on AWS): the password step again.
  if (during === 'code' && code === 'NotAuthorizedException')
    return new AuthError('That sign-in took too long. Start again with your password.');
  // cognito-local answers a wrong password with InvalidPasswordException.
  if (during === 'signIn' && code === 'InvalidPasswordException')
    return new AuthError('Incorrect email or password');
  switch (code) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      return new AuthError('Incorrect email or password');
    case 'UserNotConfirmedException':
      return new EmailNotConfirmed('Confirm your email address first: enter the code we sent you.');
    case 'PasswordResetRequiredException':
      return new AuthError('You need to reset your password. Use “Forgot password”.');
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
      return new AuthError('That code is not right. Check it and try again.');
    case 'ExpiredCodeException':
      return new AuthError('That code has expired. Ask for a new one.');
    case 'InvalidPasswordException':
      return new AuthError('The password does not meet the rules');
    case 'LimitExceededException':
    case 'TooManyRequestsException':
      return new AuthError('Too many attempts. Wait a minute and try again.');
    case 'NetworkError':
      return new AuthError('We could not reach the sign-in service. Check your connection.');
    default:
      return new AuthError('Sign-in failed. Please try again.');
  }
}

export type SignInResult =
  | { kind: 'signedIn' }
  | { kind: 'newPasswordRequired'; complete: (password: string) => Promise<void> }
  /** Two-step sign-in: the 6-digit code from the user's authenticator app. */
  | { kind: 'totpRequired'; submit: (code: string) => Promise<void> };

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const [user, { AuthenticationDetails }] = await Promise.all([
    cognitoUser(email.trim().toLowerCase()),
    cognitoLibrary(),
  ]);
  return new Promise((resolve, reject) => {
    user.authenticateUser(
      new AuthenticationDetails({ Username: email.trim().toLowerCase(), Password: password }),
      {
        onSuccess: () => {
          stampSignIn();
          resolve({ kind: 'signedIn' });
        },
        onFailure: (err) => reject(friendly(err, 'signIn')),
        totpRequired: () => {
          resolve({
            kind: 'totpRequired',
            submit: (code) =>
              new Promise<void>((done, fail) =>
                user.sendMFACode(
                  code.trim(),
                  {
                    onSuccess: () => {
                      stampSignIn();
                      done();
                    },
                    onFailure: (err) => fail(friendly(err, 'code')),
                  },
                  'SOFTWARE_TOKEN_MFA',
                ),
              ),
          });
        },
        newPasswordRequired: () => {
          resolve({
            kind: 'newPasswordRequired',
            complete: (newPassword) =>
              new Promise<void>((done, fail) =>
                // Cognito refuses the immutable attributes it just sent us back, so send none.
                user.completeNewPasswordChallenge(
                  newPassword,
                  {},
                  {
                    onSuccess: () => {
                      stampSignIn();
                      done();
                    },
                    onFailure: (err) => fail(friendly(err)),
                  },
                ),
              ),
          });
        },
      },
    );
  });
}

/** The claims of a JWT, read without checking it (the API checks it); undefined if unreadable. */
function claimsOf(token: string | null | undefined): Record<string, unknown> | undefined {
  try {
    const payload = token!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The stored ID token while it and the access token are unexpired, read the way the Cognito library
 * stores and judges them (keys per app client and user; expiry corrected by the clock drift it
 * measured at sign-in), so a signed-in page needs the library only to refresh. `signedIn` says
 * whether there is a session at all (an expired token still has a refresh token beside it).
 */
function storedToken(config: WebConfig): { signedIn: boolean; token?: string } {
  const prefix = `CognitoIdentityServiceProvider.${config.userPoolClientId}`;
  const user = storage?.getItem(`${prefix}.LastAuthUser`);
  if (!user) return { signedIn: false };
  const key = (name: string) => storage?.getItem(`${prefix}.${user}.${name}`);
  const token = key('idToken');
  if (!token) return { signedIn: false };
  const now = Math.floor(Date.now() / 1000) - (Number.parseInt(key('clockDrift') ?? '', 10) || 0);
  const valid = [token, key('accessToken')].every((jwt) => {
    const exp = claimsOf(jwt)?.exp;
    return typeof exp === 'number' && now < exp;
  });
  return { signedIn: true, token: valid ? token : undefined };
}

/** The ID token from the library's session, refreshed with the refresh token if need be. */
async function refreshedToken(): Promise<string | undefined> {
  const user = (await pool()).getCurrentUser();
  if (!user) return undefined;
  return new Promise((resolve) => {
    user.getSession((err: Error | null, current: CognitoUserSession | null) => {
      resolve(err || !current?.isValid() ? undefined : current.getIdToken().getJwtToken());
    });
  });
}

/**
 * A valid ID token, refreshed with the refresh token when it has expired (ID tokens live 15 minutes);
 * undefined when signed out, or when the session has run out (then it also signs out).
 */
export async function idToken(): Promise<string | undefined> {
  const config = await loadConfig();
  const stored = storedToken(config);
  if (!stored.signedIn) return undefined;
  const token = stored.token ?? (await refreshedToken());
  const groups = claimsOf(token)?.['cognito:groups'] as string[] | undefined;
  const idleMs = config.idleSignOutSeconds * 1000;
  const ended = sessionEnd(readStamp(), Date.now(), { idleMs, maxMs: maxSessionMs(groups ?? []) });
  if (ended) {
    await signOut(ended === 'idle' ? idleSignOutNotice(config.idleSignOutSeconds) : undefined);
    return undefined;
  }
  return token;
}

/** The signed-in user's ID-token claims (e.g. `mfa`), or undefined when signed out. */
export async function idTokenClaims(): Promise<Record<string, unknown> | undefined> {
  return claimsOf(await idToken());
}

/** The current user with their session loaded, as the MFA calls need (they use the access token). */
async function signedInUser(): Promise<{ user: CognitoUser; session: CognitoUserSession }> {
  const user = (await pool()).getCurrentUser();
  if (!user) throw new AuthError('Your session has ended. Sign in again.');
  const session = await new Promise<CognitoUserSession>((resolve, reject) =>
    user.getSession((err: Error | null, s: CognitoUserSession | null) =>
      err || !s ? reject(new AuthError('Your session has ended. Sign in again.')) : resolve(s),
    ),
  );
  return { user, session };
}

/** A new ID token now, so it carries the `mfa` claim the trigger reads from the MFA settings. */
function refresh(user: CognitoUser, session: CognitoUserSession): Promise<void> {
  return new Promise((resolve, reject) =>
    user.refreshSession(session.getRefreshToken(), (err: unknown) =>
      err ? reject(friendly(err)) : resolve(),
    ),
  );
}

function setTotp(user: CognitoUser, enabled: boolean): Promise<void> {
  return new Promise((resolve, reject) =>
    user.setUserMfaPreference(null, { Enabled: enabled, PreferredMfa: enabled }, (err) =>
      err ? reject(friendly(err)) : resolve(),
    ),
  );
}

/** Step 1 of enrolling an authenticator app: a new secret, and the otpauth URI for its QR code. */
export async function startTotpEnrolment(email: string): Promise<{ secret: string; uri: string }> {
  const { user } = await signedInUser();
  const secret = await new Promise<string>((resolve, reject) =>
    user.associateSoftwareToken({
      associateSecretCode: resolve,
      onFailure: (err) => reject(friendly(err)),
    }),
  );
  // The authenticator app lists the entry under the practice's name, as the sign-in page asks for it.
  const issuer = encodeURIComponent((await loadConfig()).practice.name);
  const uri = `otpauth://totp/${issuer}:${encodeURIComponent(email)}?secret=${secret}&issuer=${issuer}`;
  return { secret, uri };
}

/** Step 2: the first code from the app proves it works; TOTP becomes the second step of sign-in. */
export async function finishTotpEnrolment(code: string): Promise<void> {
  const { user, session } = await signedInUser();
  await new Promise<void>((resolve, reject) =>
    user.verifySoftwareToken(code.trim(), 'Authenticator', {
      onSuccess: () => resolve(),
      onFailure: (err) => reject(friendly(err)),
    }),
  );
  await setTotp(user, true);
  await refresh(user, session);
}

/** Turns two-step sign-in off (patients only: the API refuses staff without it). */
export async function turnOffTotp(): Promise<void> {
  const { user, session } = await signedInUser();
  await setTotp(user, false);
  await refresh(user, session);
}

/**
 * Revokes the refresh token with RevokeToken, then clears the local session. The library revokes
 * only tokens that carry `origin_jti` (cognito-local's do not), so the call is made here directly;
 * it is the same public Cognito API on AWS and locally. `notice` tells the login page why.
 */
export async function signOut(notice?: string): Promise<void> {
  const [userPool, config] = await Promise.all([pool(), loadConfig()]);
  const user = userPool.getCurrentUser();
  if (!user) return;
  const refreshToken = await new Promise<string | undefined>((resolve) =>
    user.getSession((err: Error | null, session: CognitoUserSession | null) =>
      resolve(err || !session ? undefined : session.getRefreshToken().getToken()),
    ),
  );
  user.signOut();
  if (notice) storage?.setItem(NOTICE_KEY, notice);
  // Removing the stamp is what tells the other tabs (a storage event) that the session is over.
  storage?.removeItem(STAMP_KEY);
  clearTabData();
  if (!refreshToken) return;
  const endpoint = config.cognitoEndpoint ?? `https://cognito-idp.${config.region}.amazonaws.com/`;
  await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.RevokeToken',
    },
    body: JSON.stringify({ Token: refreshToken, ClientId: config.userPoolClientId }),
  }).catch(() => undefined);
}

/** Unsent chat messages are health data: they do not outlive the session, in any tab. */
function clearTabData(): void {
  for (const key of Object.keys(sessionStorage))
    if (key.startsWith('chat-pending:')) sessionStorage.removeItem(key);
}

/**
 * Calls back when another tab of this browser signed out (or the session ran out there), or signed
 * in anew, possibly as someone else. Returns the unsubscribe function.
 */
export function onSessionChangedElsewhere(
  callback: (change: 'signed-out' | 'signed-in') => void,
): () => void {
  if (typeof window === 'undefined') return () => undefined;
  const listener = (e: StorageEvent) => {
    if (e.storageArea !== window.localStorage) return;
    // `key` is null when another tab cleared the whole storage.
    if (e.key !== STAMP_KEY && e.key !== null) return;
    const before = parseStamp(e.oldValue);
    const after = parseStamp(e.key === null ? null : e.newValue);
    if (!after) {
      clearTabData();
      callback('signed-out');
    } else if (after.startedAt !== before?.startedAt) callback('signed-in');
  };
  window.addEventListener('storage', listener);
  return () => window.removeEventListener('storage', listener);
}

export async function requestPasswordReset(email: string): Promise<void> {
  const user = await cognitoUser(email.trim().toLowerCase());
  return new Promise((resolve, reject) => {
    user.forgotPassword({
      onSuccess: () => resolve(),
      onFailure: (err) => reject(friendly(err)),
      inputVerificationCode: () => resolve(),
    });
  });
}

export async function confirmPasswordReset(email: string, code: string, password: string): Promise<void> {
  const user = await cognitoUser(email.trim().toLowerCase());
  return new Promise((resolve, reject) => {
    user.confirmPassword(code.trim(), password, {
      onSuccess: () => resolve(),
      onFailure: (err) => reject(friendly(err)),
    });
  });
}
