/**
 * Email confirmation after sign-up, from the browser straight to Cognito (as sign-in is): the code
 * Cognito mailed confirms the account (`ConfirmSignUp`), and "Send a new code" asks for another
 * (`ResendConfirmationCode`). The account joins group `patient` when it is confirmed.
 */
import { AuthError, cognitoUser, friendly } from './auth';

function confirmationError(err: unknown): AuthError {
  const e = err as { code?: string; name?: string; message?: string };
  const code = e.code ?? e.name;
  // Cognito says so when the account was confirmed already (another tab, an earlier attempt).
  if (code === 'NotAuthorizedException' && /CONFIRMED/i.test(e.message ?? ''))
    return new AuthError('This email is already confirmed. Sign in.');
  if (code === 'InvalidParameterException' && /already confirmed/i.test(e.message ?? ''))
    return new AuthError('This email is already confirmed. Sign in.');
  if (code === 'NotAuthorizedException' || code === 'UserNotFoundException')
    return new AuthError('That code is not right. Check it and try again.');
  return friendly(err);
}

export async function confirmEmail(email: string, code: string): Promise<void> {
  const user = await cognitoUser(email.trim().toLowerCase());
  return new Promise((resolve, reject) =>
    user.confirmRegistration(code.trim(), false, (err) => (err ? reject(confirmationError(err)) : resolve())),
  );
}

export async function resendEmailCode(email: string): Promise<void> {
  const user = await cognitoUser(email.trim().toLowerCase());
  return new Promise((resolve, reject) =>
    user.resendConfirmationCode((err) => (err ? reject(confirmationError(err)) : resolve())),
  );
}
