import { createSignal } from 'solid-js';
import type { Profile } from '../../shared/api';
import type { Role } from '../../shared/roles';
import { client } from './api';
import { MFA_CLAIM, mfaEnrolmentRequired } from '../../shared/policy';
import { idToken, idTokenClaims, onSessionChangedElsewhere, signOut as cognitoSignOut } from './auth';

const [profile, setProfile] = createSignal<Profile | undefined>();
/** The `mfa` claim of the current ID token: whether this user signs in with an authenticator app. */
const [mfa, setMfa] = createSignal<unknown>();
export { profile };

export const homeFor = (role: Role) => `/${role}`;
export const TWO_STEP_SETUP = '/two-step-setup';

/** Where a signed-in user goes first: staff without two-step sign-in set it up before anything else. */
export const startFor = (p: Profile) => (mustSetUpTwoStep(p) ? TWO_STEP_SETUP : homeFor(p.role));

/** Staff without an authenticator app: the API refuses them everything but enrolment and sign-out. */
export const mustSetUpTwoStep = (p: Profile) => mfaEnrolmentRequired(p.role, mfa());

export const twoStepOn = () => mfa() === 'totp';

/** Loads the signed-in user's profile (refreshing tokens as needed); undefined when signed out. */
export async function loadSession(): Promise<Profile | undefined> {
  const claims = await idTokenClaims();
  if (!claims) {
    setProfile(undefined);
    return undefined;
  }
  setMfa(claims[MFA_CLAIM]);
  const me = await client.call('getMe');
  setProfile(me.profile);
  return me.profile;
}

/** After the API returned a changed profile (e.g. PATCH /me). */
export function updateProfile(next: Profile): void {
  setProfile(next);
}

/**
 * Ends every session of this user on the server first (their tokens are refused and their sockets
 * closed, on every device: Cognito cannot take back an issued ID token), then this one locally. Being
 * offline, or a session the server already ended, must not keep the user signed in here.
 */
export async function signOut(): Promise<void> {
  if (await idToken()) await client.call('signOutEverywhere').catch(() => undefined);
  await cognitoSignOut();
  setProfile(undefined);
}

/**
 * The idle sign-out (`idle.ts`): this browser only, as the user may be active on another device. Its
 * refresh token is revoked and its ID token (15 minutes at most) forgotten; the login page shows `notice`.
 */
export async function signOutAfterIdle(notice: string): Promise<void> {
  await cognitoSignOut(notice);
  setProfile(undefined);
}

/**
 * Keeps this tab in step with the others: a sign-out anywhere signs this tab out; a new sign-in
 * (perhaps as someone else) reloads the profile. `go` is told where the user now belongs.
 */
export function followOtherTabs(go: (path: string) => void): () => void {
  return onSessionChangedElsewhere((change) => {
    const before = profile();
    if (change === 'signed-out') {
      setProfile(undefined);
      go('/login');
      return;
    }
    void loadSession()
      .catch(() => undefined)
      .then((now) => {
        if (now?.userId !== before?.userId) go(now ? startFor(now) : '/login');
      });
  });
}
