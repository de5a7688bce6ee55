import { describe, expect, it } from 'vitest';
import { BadRequest, Conflict, TooManyRequests } from './errors';
import { inMemoryRateLimiter } from './testing/in-memory';
import {
  createDoctor,
  getOwnProfile,
  registerPatient,
  temporaryPassword,
  type AccountDeps,
} from './accounts';
import {
  EmailAlreadyRegistered,
  PasswordRejected,
  type AuditEntry,
  type IdentityDirectory,
  type StoredProfile,
} from './ports';

function fakes(options: { failProfileWrite?: boolean } = {}) {
  const users = new Map<string, { email: string; group: string }>();
  const profiles = new Map<string, StoredProfile>();
  const audit: AuditEntry[] = [];
  let next = 0;
  const directory: IdentityDirectory = {
    async createPatient({ email, password }) {
      if ([...users.values()].some((u) => u.email === email)) throw new EmailAlreadyRegistered();
      if (password === 'rejected') throw new PasswordRejected('weak');
      const id = `user-${++next}`;
      users.set(id, { email, group: 'patient' });
      return id;
    },
    async createDoctor({ email }) {
      if ([...users.values()].some((u) => u.email === email)) throw new EmailAlreadyRegistered();
      const id = `user-${++next}`;
      users.set(id, { email, group: 'doctor' });
      return id;
    },
    async deleteUser(id) {
      users.delete(id);
    },
  };
  const deps: AccountDeps = {
    directory,
    profiles: {
      async put(p) {
        if (options.failProfileWrite) throw new Error('write failed');
        profiles.set(p.userId, p);
      },
      async get(id) {
        return profiles.get(id);
      },
      async markDeleted() {
        throw new Error('accounts never delete a profile');
      },
    },
    audit: { record: async (e) => void audit.push(e) },
    clock: { now: () => new Date('2026-11-27T10:00:00Z') },
    rateLimiter: inMemoryRateLimiter(),
    signupsPerHourPerIp: 3,
  };
  return { deps, users, profiles, audit };
}

const registration = {
  name: 'Ana',
  email: 'ana@example.com',
  password: 'Long-Enough-Pass-1',
  phone: '+15555550100',
  dateOfBirth: '1980-01-01',
  acceptTerms: true as const,
  acceptPrivacy: true as const,
  smsOptIn: true,
};

describe('registerPatient', () => {
  it('limits sign-ups per client address, refusing before any account is created', async () => {
    const { deps, users } = fakes();
    for (let i = 0; i < 3; i += 1) {
      await registerPatient({ ...registration, email: `ip${i}@example.com` }, deps, 'req', '203.0.113.7');
    }
    await expect(
      registerPatient({ ...registration, email: 'ip4@example.com' }, deps, 'req', '203.0.113.7'),
    ).rejects.toSatisfy(
      (e) => e instanceof TooManyRequests && e.code === 'rate_limited' && e.retryAfterSeconds > 0,
    );
    expect(users.size).toBe(3);
    // Another address is not affected.
    await registerPatient({ ...registration, email: 'other@example.com' }, deps, 'req', '198.51.100.1');
  });

  it('creates a patient with the consent versions and time, and audits it without PHI', async () => {
    const { deps, profiles, audit } = fakes();
    const profile = await registerPatient(registration, deps, 'req-9');
    expect(profile.role).toBe('patient');
    expect(profiles.get(profile.userId)?.consents).toEqual({
      termsVersion: expect.any(String),
      privacyVersion: expect.any(String),
      acceptedAt: '2026-11-27T10:00:00.000Z',
    });
    expect(audit).toEqual([
      {
        action: 'patient.registered',
        actorId: profile.userId,
        patientId: profile.userId,
        targetId: profile.userId,
        requestId: 'req-9',
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain('ana@example.com');
  });

  it('turns a taken email into 409 and a rejected password into 400', async () => {
    const { deps } = fakes();
    await registerPatient(registration, deps);
    await expect(registerPatient(registration, deps)).rejects.toBeInstanceOf(Conflict);
    await expect(
      registerPatient({ ...registration, email: 'b@example.com', password: 'rejected' }, deps),
    ).rejects.toBeInstanceOf(BadRequest);
  });

  it('removes the account again when the profile cannot be written', async () => {
    const { deps, users } = fakes({ failProfileWrite: true });
    await expect(registerPatient(registration, deps)).rejects.toThrow('write failed');
    expect(users.size).toBe(0);
  });
});

describe('createDoctor', () => {
  it('creates a doctor with a policy-compliant temporary password', async () => {
    const { deps, users, audit } = fakes();
    const { profile, temporaryPassword: temp } = await createDoctor(
      { email: 'dr@example.com', name: 'Dr. X', specialty: 'GP' },
      { userId: 'admin-1' },
      deps,
    );
    expect(users.get(profile.userId)?.group).toBe('doctor');
    expect(temp).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{16}$/);
    expect(audit[0]).toMatchObject({
      action: 'doctor.created',
      actorId: 'admin-1',
      targetId: profile.userId,
    });
  });

  it('makes different temporary passwords each time', () => {
    expect(new Set(Array.from({ length: 50 }, temporaryPassword)).size).toBe(50);
  });
});

describe('getOwnProfile', () => {
  it('takes the role from the verified identity, not from storage', async () => {
    const { deps } = fakes();
    const stored = await registerPatient(registration, deps);
    const profile = await getOwnProfile({ userId: stored.userId, email: stored.email, role: 'admin' }, deps);
    expect(profile.role).toBe('admin');
    expect(profile).not.toHaveProperty('consents');
  });
});
