import type { Profile } from '../../shared/api';

/** What core needs from the outside world; adapters/ implements these, tests use in-memory fakes. */
export interface ProfileRepository {
  put(profile: StoredProfile): Promise<void>;
  get(userId: string): Promise<StoredProfile | undefined>;
}

export interface StoredProfile extends Profile {
  consents?: { termsVersion: string; privacyVersion: string; acceptedAt: string };
}

export class EmailAlreadyRegistered extends Error {}
export class PasswordRejected extends Error {}

export interface IdentityDirectory {
  /** Creates a confirmed account in group `patient` with the given password. */
  createPatient(input: { email: string; password: string; name: string; phone: string }): Promise<string>;
  /** Creates an account in group `doctor` that must choose a new password at first login. */
  createDoctor(input: { email: string; name: string; temporaryPassword: string }): Promise<string>;
  deleteUser(userId: string): Promise<void>;
}

export interface AuditEntry {
  action: string;
  actorId: string;
  targetId?: string;
  requestId?: string;
}

/** Append-only trail of who did what to which record; ids only, never PHI. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
