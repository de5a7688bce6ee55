import { randomInt } from 'node:crypto';
import type { Profile } from '../../shared/api';
import { PRIVACY_VERSION, TERMS_VERSION } from '../../shared/policy';
import type { CreateDoctorRequest, RegisterPatientRequest } from '../../shared/schemas';
import type { Identity } from './identity';
import { BadRequest, Conflict, NotFound } from './errors';
import {
  EmailAlreadyRegistered,
  PasswordRejected,
  type AuditLog,
  type Clock,
  type IdentityDirectory,
  type ProfileRepository,
  type RateLimiter,
  type StoredProfile,
} from './ports';
import { enforceRateLimit } from './rate-limits';

export interface AccountDeps {
  directory: IdentityDirectory;
  profiles: ProfileRepository;
  audit: AuditLog;
  clock: Clock;
  rateLimiter: RateLimiter;
  /** Sign-ups one client address may send per hour. */
  signupsPerHourPerIp: number;
}

async function createAccount(create: () => Promise<string>): Promise<string> {
  try {
    return await create();
  } catch (err) {
    if (err instanceof EmailAlreadyRegistered) {
      throw new Conflict('An account with this email already exists', 'email_taken');
    }
    if (err instanceof PasswordRejected) {
      throw new BadRequest('The password does not meet the policy', { password: err.message });
    }
    throw err;
  }
}

/** The profile is written after the account exists; if that fails, the account is removed again. */
async function saveProfileOrUndo(deps: AccountDeps, profile: StoredProfile): Promise<void> {
  try {
    await deps.profiles.put(profile);
  } catch (err) {
    await deps.directory.deleteUser(profile.userId).catch(() => undefined);
    throw err;
  }
}

export async function registerPatient(
  input: RegisterPatientRequest,
  deps: AccountDeps,
  requestId?: string,
  /** The caller's address (public route): sign-ups per address are limited. Absent for seeding. */
  clientIp?: string,
): Promise<StoredProfile> {
  if (clientIp !== undefined) {
    await enforceRateLimit(
      `signup:${clientIp}`,
      { count: deps.signupsPerHourPerIp, periodSeconds: 3600 },
      deps,
    );
  }
  const userId = await createAccount(() =>
    deps.directory.createPatient({
      email: input.email,
      password: input.password,
      name: input.name,
      phone: input.phone,
    }),
  );
  const now = deps.clock.now().toISOString();
  const profile: StoredProfile = {
    userId,
    role: 'patient',
    name: input.name,
    email: input.email,
    phone: input.phone,
    dateOfBirth: input.dateOfBirth,
    smsOptIn: input.smsOptIn,
    createdAt: now,
    consents: { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION, acceptedAt: now },
  };
  await saveProfileOrUndo(deps, profile);
  await deps.audit.record({
    action: 'patient.registered',
    actorId: userId,
    patientId: userId,
    targetId: userId,
    requestId,
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
  const { consents: _consents, ...profile } = stored;
  return profile;
}

export async function getOwnProfile(identity: Identity, deps: Pick<AccountDeps, 'profiles'>) {
  const stored = await deps.profiles.get(identity.userId);
  if (!stored) throw new NotFound('No profile exists for this account');
  // The role comes from the verified token, not from what was stored.
  return { ...publicProfile(stored), role: identity.role };
}

export async function updatePreferences(
  identity: Identity,
  changes: { smsOptIn: boolean },
  deps: Pick<AccountDeps, 'profiles' | 'audit'>,
) {
  const stored = await deps.profiles.get(identity.userId);
  if (!stored) throw new NotFound('No profile exists for this account');
  await deps.profiles.put({ ...stored, smsOptIn: changes.smsOptIn });
  await deps.audit.record({
    action: 'preferences.updated',
    actorId: identity.userId,
    targetId: identity.userId,
  });
  return getOwnProfile(identity, deps);
}
