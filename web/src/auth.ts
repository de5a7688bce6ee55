import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { loadConfig } from './config';

/** Tokens live in sessionStorage: they survive a reload but not the tab, and are gone on sign-out. */
const storage = typeof window === 'undefined' ? undefined : window.sessionStorage;

let poolPromise: Promise<CognitoUserPool> | undefined;

async function pool(): Promise<CognitoUserPool> {
  poolPromise ??= loadConfig().then(
    (config) =>
      new CognitoUserPool({
        UserPoolId: config.userPoolId,
        ClientId: config.userPoolClientId,
        endpoint: config.cognitoEndpoint,
        Storage: storage,
      }),
  );
  return poolPromise;
}

async function cognitoUser(email: string): Promise<CognitoUser> {
  const [userPool, config] = await Promise.all([pool(), loadConfig()]);
  const user = new CognitoUser({ Username: email, Pool: userPool, Storage: storage });
  user.setAuthenticationFlowType(config.authFlow);
  return user;
}

export class AuthError extends Error {}

function friendly(err: unknown, during: 'signIn' | 'other' = 'other'): AuthError {
  const e = err as { code?: string; name?: string; message?: string };
  const code = e.code ?? e.name;
  // cognito-local answers a wrong password with InvalidPasswordException.
  if (during === 'signIn' && code === 'InvalidPasswordException')
    return new AuthError('Incorrect email or password');
  switch (code) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      return new AuthError('Incorrect email or password');
    case 'PasswordResetRequiredException':
      return new AuthError('You need to reset your password. Use “Forgot password”.');
    case 'CodeMismatchException':
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
  { kind: 'signedIn' } | { kind: 'newPasswordRequired'; complete: (password: string) => Promise<void> };

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const user = await cognitoUser(email.trim().toLowerCase());
  return new Promise((resolve, reject) => {
    user.authenticateUser(
      new AuthenticationDetails({ Username: email.trim().toLowerCase(), Password: password }),
      {
        onSuccess: () => resolve({ kind: 'signedIn' }),
        onFailure: (err) => reject(friendly(err, 'signIn')),
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
                    onSuccess: () => done(),
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

/** A valid ID token, refreshed with the refresh token when it has expired; undefined when signed out. */
export async function idToken(): Promise<string | undefined> {
  const user = (await pool()).getCurrentUser();
  if (!user) return undefined;
  return new Promise((resolve) => {
    user.getSession((err: Error | null, session: CognitoUserSession | null) => {
      resolve(err || !session?.isValid() ? undefined : session.getIdToken().getJwtToken());
    });
  });
}

/**
 * Revokes the refresh token with RevokeToken, then clears the local session. The library revokes
 * only tokens that carry `origin_jti` (cognito-local's do not), so the call is made here directly;
 * it is the same public Cognito API on AWS and locally.
 */
export async function signOut(): Promise<void> {
  const [userPool, config] = await Promise.all([pool(), loadConfig()]);
  const user = userPool.getCurrentUser();
  if (!user) return;
  const refreshToken = await new Promise<string | undefined>((resolve) =>
    user.getSession((err: Error | null, session: CognitoUserSession | null) =>
      resolve(err || !session ? undefined : session.getRefreshToken().getToken()),
    ),
  );
  user.signOut();
  // Unsent chat messages are health data: they do not outlive the session.
  for (const key of Object.keys(sessionStorage))
    if (key.startsWith('chat-pending:')) sessionStorage.removeItem(key);
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
