import type { MfaClaim } from '../../shared/policy';

/** Where a user's second-factor settings live (the user pool). */
export interface MfaSettings {
  /** Whether the user has a verified, enabled authenticator app (TOTP). */
  totpEnabled(userPoolId: string, username: string): Promise<boolean>;
}

export interface MfaDeps {
  mfa: MfaSettings;
}

/**
 * The value of the `mfa` claim a new ID token carries: `totp` when the user signs in with an
 * authenticator app. Read afresh for every token, so turning TOTP off shows on the next token.
 */
export async function mfaClaim(userPoolId: string, username: string, deps: MfaDeps): Promise<MfaClaim> {
  return (await deps.mfa.totpEnabled(userPoolId, username)) ? 'totp' : 'none';
}
