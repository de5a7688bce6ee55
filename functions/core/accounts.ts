import { randomInt } from 'node:crypto';
import type { Profile } from '../../shared/api';
import { PRIVACY_VERSION, TERMS_VERSION } from '../../shared/policy';
import type { PhoneInput } from '../../shared/phone-input';
import type { CreateDoctorRequest, RegisterPatientRequest } from '../../shared/schemas';
import type { Identity } from './identity';
import { BadRequest, Conflict, NotFound } from './errors';
import { e164 } from './phone-number';
import {
  EmailAlreadyRegistered,
  PasswordRejected,
  type AuditLog,
  type Clock,
  type GroupMembership,
  type IdentityDirectory,
  type ProfileRepository,
  type RateLimiter,
  type SelfSignUp,
  type StoredProfile,
} from './ports';
import { enforceRateLimit } from './rate-limits';
import type { Sessions } from './sessions';

export interface AccountDeps {
  directory: IdentityDirectory;
  profiles: ProfileRepository;
  audit: AuditLog;
  clock: Clock;
}

/** What the public sign-up reaches: Cognito's public `SignUp`, never an admin call. */
export interface SignUpDeps {
  signUp: SelfSignUp;
  profiles: ProfileRepository;
  audit: AuditLog;
  clock: Clock;
  rateLimiter: RateLimiter;
  /** Sign-ups one client address may send per hour. */
  signupsPerHourPerIp: number;
}

/** What the email-confirmation trigger reaches: the patient group and the profile. */
export interface ConfirmationDeps {
  groups: GroupMembership;
  profiles: ProfileRepository;
  audit: AuditLog;
  /** Ends the sessions a password reset leaves behind (the per-user valid-after of sign-out). */
  sessions: Pick<Sessions, 'endSessions'>;
  /** Token times are Cognito's real time. */
  sessionClock: Clock;
}

async function createAccount(create: () => Promise<string>): Promise<string> {
  try {
    return await create();
  } catch (err) {
    if (err instanceof EmailAlreadyRegistered) {
      throw new Conflict('An account with this email already exists', 'email_taken');
    }
    if (err instanceof PasswordRejected) throw passwordRejected(err);
    throw err;
  }
}

const passwordRejected = (err: PasswordRejected) =>
  new BadRequest('The password does not meet the policy', { password: err.message });

/** The profile is written after the account exists; if that fails, the account is removed again. */
async function saveProfileOrUndo(deps: AccountDeps, profile: StoredProfile): Promise<void> {
  try {
    await deps.profiles.put(profile);
  } catch (err) {
    await deps.directory.deleteUser(profile.userId).catch(() => undefined);
    throw err;
  }
}

/** A registration whose phone number is normalised to E.164. */
type NewPatient = Omit<RegisterPatientRequest, 'phone'> & { phone: string };

function patientProfile(userId: string, input: NewPatient, now: string): StoredProfile {
  return {
    userId,
    role: 'patient',
    name: input.name,
    email: input.email,
    phone: input.phone,
    phoneVerified: false,
    dateOfBirth: input.dateOfBirth,
    smsOptIn: input.smsOptIn,
    createdAt: now,
    consents: { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION, acceptedAt: now },
  };
}

/**
 * The public sign-up. Cognito creates the account unconfirmed and mails a code to the address; the
 * profile (consents, SMS choice, unverified phone) is stored now, keyed by the new user id, because
 * only this request carries it — the confirmation trigger then only flips it to confirmed.
 *
 * An address that already has an account gets the very same answer and changes nothing, so the
 * route reveals nobody's account. Both paths make one table write after Cognito answers (the
 * profile and audit entry in parallel, or an audit entry of the refused attempt), so they also
 * take about as long.
 */
export async function signUpPatient(
  request: RegisterPatientRequest,
  deps: SignUpDeps,
  requestId: string | undefined,
  /** The caller's address (API Gateway's sourceIp); requests without one share one allowance. */
  clientIp: string | undefined,
): Promise<void> {
  const input: NewPatient = { ...request, phone: e164(request.phone) };
  await enforceRateLimit(
    `signup:${clientIp ?? 'unknown'}`,
    { count: deps.signupsPerHourPerIp, periodSeconds: 3600 },
    deps,
  );
  let userId: string;
  try {
    userId = await deps.signUp.signUp({
      email: input.email,
      password: input.password,
      name: input.name,
      phone: input.phone,
    });
  } catch (err) {
    if (err instanceof PasswordRejected) throw passwordRejected(err);
    if (!(err instanceof EmailAlreadyRegistered)) throw err;
    await deps.audit.record({ action: 'patient.signUpRefused', actorId: 'anonymous', requestId });
    return;
  }
  const now = deps.clock.now().toISOString();
  await Promise.all([
    deps.profiles.put({ ...patientProfile(userId, input, now), awaitingConfirmation: true }),
    deps.audit.record({
      action: 'patient.registered',
      actorId: userId,
      patientId: userId,
      targetId: userId,
      requestId,
    }),
  ]);
}

/**
 * Cognito's PostConfirmation trigger, after the owner entered the emailed code: the account joins
 * group `patient` and its profile is confirmed. Only an account our sign-up created (it left a
 * profile awaiting confirmation) becomes a patient: someone calling Cognito's SignUp directly with
 * the public client id gets a confirmed login with no role, which every route refuses.
 */
export async function confirmPatient(
  user: { userId: string; userPoolId: string; username: string },
  deps: ConfirmationDeps,
): Promise<'confirmed' | 'ignored'> {
  const { userId } = user;
  const profile = await deps.profiles.get(userId);
  if (!profile?.awaitingConfirmation || profile.role !== 'patient') return 'ignored';
  await deps.groups.addToGroup(user, 'patient');
  const { awaitingConfirmation: _done, ...confirmed } = profile;
  await deps.profiles.put(confirmed);
  await deps.audit.record({ action: 'patient.confirmed', actorId: userId, targetId: userId });
  return 'confirmed';
}

/**
 * Cognito's PostConfirmation trigger after a password reset (the emailed code and a new password):
 * every session signed in before it ends at once, as with "sign out everywhere" — whoever knew the
 * old password is out. Open WebSockets stay until they reconnect; their REST calls are refused.
 */
export async function endSessionsAfterPasswordReset(userId: string, deps: ConfirmationDeps): Promise<void> {
  await deps.sessions.endSessions(userId, Math.floor(deps.sessionClock.now().getTime() / 1000));
  await deps.audit.record({ action: 'password.reset', actorId: userId, targetId: userId });
}

/**
 * A patient created by the operator (demo seeding): confirmed at once, in group `patient`. The
 * operator vouches for the phone number, so it counts as verified.
 */
export async function createPatient(
  request: RegisterPatientRequest,
  deps: AccountDeps,
): Promise<StoredProfile> {
  const input: NewPatient = { ...request, phone: e164(request.phone) };
  const userId = await createAccount(() =>
    deps.directory.createPatient({
      email: input.email,
      password: input.password,
      name: input.name,
      phone: input.phone,
    }),
  );
  const profile = { ...patientProfile(userId, input, deps.clock.now().toISOString()), phoneVerified: true };
  await saveProfileOrUndo(deps, profile);
  await deps.audit.record({
    action: 'patient.registered',
    actorId: userId,
    patientId: userId,
    targetId: userId,
  });
  return profile;
}

/** 16 characters from every class the password policy asks for. */
export function temporaryPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+=?@'];
  const all = sets.join('');
  const chars = sets.map((set) => set[randomInt(set.length)]!);
  while (chars.length < 16) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

export async function createDoctor(
  input: CreateDoctorRequest,
  actor: Pick<Identity, 'userId'>,
  deps: AccountDeps,
  requestId?: string,
): Promise<{ profile: StoredProfile; temporaryPassword: string }> {
  const password = temporaryPassword();
  const userId = await createAccount(() =>
    deps.directory.createDoctor({ email: input.email, name: input.name, temporaryPassword: password }),
  );
  const profile: StoredProfile = {
    userId,
    role: 'doctor',
    name: input.name,
    email: input.email,
    specialty: input.specialty,
    createdAt: deps.clock.now().toISOString(),
  };
  await saveProfileOrUndo(deps, profile);
  await deps.audit.record({ action: 'doctor.created', actorId: actor.userId, targetId: userId, requestId });
  return { profile, temporaryPassword: password };
}

/** What a profile shows through the API: everything but the stored consent record. */
export function publicProfile(stored: StoredProfile): Profile {
  const { consents: _consents, awaitingConfirmation: _awaiting, ...profile } = stored;
  return profile;
}

export async function getOwnProfile(identity: Identity, deps: Pick<AccountDeps, 'profiles'>) {
  const stored = await deps.profiles.get(identity.userId);
  if (!stored) throw new NotFound('No profile exists for this account');
  // The role comes from the verified token, not from what was stored.
  return { ...publicProfile(stored), role: identity.role };
}

/**
 * SMS opt-in and the mobile number. A new number is unverified until its owner enters a code
 * texted to it (functions/core/phone-verification.ts); the profile, not Cognito's `phone_number`
 * attribute, is where texts are addressed.
 */
export async function updatePreferences(
  identity: Identity,
  request: { smsOptIn?: boolean; phone?: PhoneInput },
  deps: Pick<AccountDeps, 'profiles' | 'audit'>,
) {
  const changes = {
    smsOptIn: request.smsOptIn,
    phone: request.phone === undefined ? undefined : e164(request.phone),
  };
  const stored = await deps.profiles.get(identity.userId);
  if (!stored) throw new NotFound('No profile exists for this account');
  const phoneChanged = changes.phone !== undefined && changes.phone !== stored.phone;
  await deps.profiles.put({
    ...stored,
    ...(changes.smsOptIn !== undefined ? { smsOptIn: changes.smsOptIn } : {}),
    ...(phoneChanged ? { phone: changes.phone, phoneVerified: false } : {}),
  });
  await deps.audit.record({
    action: 'preferences.updated',
    actorId: identity.userId,
    targetId: identity.userId,
  });
  return getOwnProfile(identity, deps);
}
