/**
 * The Cognito library (≈30 KB compressed), loaded by `auth.ts` only when sign-in, sign-up, MFA,
 * sign-out or a token refresh needs it: a signed-in page with a valid token renders without it.
 */
export { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
