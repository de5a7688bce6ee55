import { describe, expect, it } from 'vitest';
import { BadRequest, Conflict, TooManyRequests } from './errors';
import { inMemoryRateLimiter } from './testing/in-memory';
import {
  confirmPatient,
  endSessionsAfterPasswordReset,
  createDoctor,
  createPatient,
  getOwnProfile,
  signUpPatient,
  temporaryPassword,
  type AccountDeps,
  type ConfirmationDeps,
  type SignUpDeps,
} from './accounts';
import {
  EmailAlreadyRegistered,
  PasswordRejected,
  type AuditEntry,
  type GroupMembership,
  type IdentityDirectory,
  type SelfSignUp,
  type StoredProfile,
} from './ports';

function fakes(options: { failProfileWrite?: boolean } = {}) {
  const users = new Map<string, { email: string; group?: string; confirmed: boolean }>();
  const profiles = new Map<string, StoredProfile>();
  const audit: AuditEntry[] = [];
  let next = 0;
  const add = (email: string, password: string, user: { group?: string; confirmed: boolean }) => {
    if ([...users.values()].some((u) => u.email === email)) throw new EmailAlreadyRegistered();
    if (password === 'rejected') throw new PasswordRejected('weak');
    const id = `user-${++next}`;
    users.set(id, { email, ...user });
    return id;
  };
  const directory: IdentityDirectory = {
    async createPatient({ email, password }) {
      return add(email, password, { group: 'patient', confirmed: true });
    },
    async createDoctor({ email }) {
      return add(email, 'Temporary-1', { group: 'doctor', confirmed: true });
    },
    async deleteUser(id) {
      users.delete(id);
    },
  };
  const signUp: SelfSignUp = {
    async signUp({ email, password }) {
      return add(email, password, { confirmed: false });
    },
  };
  const groups: GroupMembership = {
    async addToGroup({ username }, group) {
      users.get(username)!.group = group;
    },
  };
  const common = {
    profiles: {
      async put(p: StoredProfile) {
        if (options.failProfileWrite) throw new Error('write failed');
        profiles.set(p.userId, p);
      },
      async get(id: string) {
        return profiles.get(id);
      },
      async markDeleted() {
        throw new Error('accounts never delete a profile');
      },
      async withVerifiedPhone() {
        throw new Error('accounts never look up a phone');
      },
    },
    audit: { record: async (e: AuditEntry) => void audit.push(e) },
    clock: { now: () => new Date('2026-11-27T10:00:00Z') },
  };
  const deps: AccountDeps = { directory, ...common };
  const signUpDeps: SignUpDeps = {
    signUp,
    ...common,
    rateLimiter: inMemoryRateLimiter(),
    signupsPerHourPerIp: 3,
  };
  const ended: { userId: string; validAfter: number }[] = [];
  const confirmationDeps: ConfirmationDeps = {
    groups,
    ...common,
    sessions: { endSessions: async (userId, validAfter) => void ended.push({ userId, validAfter }) },
    sessionClock: { now: () => new Date('2026-11-27T10:00:00.900Z') },
  };
  return { deps, signUpDeps, confirmationDeps, users, profiles, audit, ended };
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

describe('signUpPatient', () => {
  it('limits sign-ups per client address, refusing before any account is created', async () => {
    const { signUpDeps, users } = fakes();
    for (let i = 0; i < 3; i += 1) {
      await signUpPatient({ ...registration, email: `ip${i}@example.com` }, signUpDeps, 'req', '203.0.113.7');
    }
    await expect(
      signUpPatient({ ...registration, email: 'ip4@example.com' }, signUpDeps, 'req', '203.0.113.7'),
    ).rejects.toSatisfy(
      (e) => e instanceof TooManyRequests && e.code === 'rate_limited' && e.retryAfterSeconds > 0,
    );
    expect(users.size).toBe(3);
    // Another address is not affected.
    await signUpPatient({ ...registration, email: 'other@example.com' }, signUpDeps, 'req', '198.51.100.1');
    expect(users.size).toBe(4);
  });

  it('stores an unconfirmed patient with consents and an unverified phone, audited without PHI', async () => {
    const { signUpDeps, users, profiles, audit } = fakes();
    await signUpPatient(registration, signUpDeps, 'req-9', '203.0.113.7');
    const [userId, user] = [...users.entries()][0]!;
    expect(user).toEqual({ email: 'ana@example.com', confirmed: false });
    expect(profiles.get(userId)).toMatchObject({
      role: 'patient',
      awaitingConfirmation: true,
      phoneVerified: false,
      smsOptIn: true,
      consents: { termsVersion: expect.any(String), acceptedAt: '2026-11-27T10:00:00.000Z' },
    });
    expect(audit).toEqual([
      {
        action: 'patient.registered',
        actorId: userId,
        patientId: userId,
        targetId: userId,
        requestId: 'req-9',
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain('ana@example.com');
  });

  it('answers a taken email exactly like a new one and changes nothing; a rejected password is a 400', async () => {
    const { signUpDeps, profiles } = fakes();
    await signUpPatient(registration, signUpDeps, 'r1', '203.0.113.7');
    const before = structuredClone([...profiles.entries()]);
    await expect(
      signUpPatient(
        { ...registration, name: 'Mallory', phone: '+15555550999' },
        signUpDeps,
        'r2',
        '203.0.113.8',
      ),
    ).resolves.toBeUndefined();
    expect([...profiles.entries()]).toEqual(before);
    await expect(
      signUpPatient(
        { ...registration, email: 'b@example.com', password: 'rejected' },
        signUpDeps,
        'r3',
        '203.0.113.9',
      ),
    ).rejects.toSatisfy((e) => e instanceof BadRequest && e.fields?.password !== undefined);
  });
});

describe('confirmPatient', () => {
  it('adds a signed-up user to group patient and confirms the profile, once', async () => {
    const { signUpDeps, confirmationDeps, users, profiles } = fakes();
    await signUpPatient(registration, signUpDeps, 'r', '203.0.113.7');
    const userId = [...users.keys()][0]!;
    expect(await confirmPatient({ userId, userPoolId: 'pool', username: userId }, confirmationDeps)).toBe(
      'confirmed',
    );
    expect(users.get(userId)?.group).toBe('patient');
    expect(profiles.get(userId)).not.toHaveProperty('awaitingConfirmation');
    expect(await confirmPatient({ userId, userPoolId: 'pool', username: userId }, confirmationDeps)).toBe(
      'ignored',
    );
  });

  it('gives no role to an account our sign-up did not create', async () => {
    const { confirmationDeps, users } = fakes();
    users.set('direct', { email: 'direct@example.com', confirmed: true });
    expect(
      await confirmPatient({ userId: 'direct', userPoolId: 'pool', username: 'direct' }, confirmationDeps),
    ).toBe('ignored');
    expect(users.get('direct')?.group).toBeUndefined();
  });
});

describe('createPatient (operator)', () => {
  it('creates a confirmed patient whose phone the operator vouches for', async () => {
    const { deps, users } = fakes();
    const profile = await createPatient(registration, deps);
    expect(users.get(profile.userId)).toMatchObject({ group: 'patient', confirmed: true });
    expect(profile.phoneVerified).toBe(true);
    await expect(createPatient(registration, deps)).rejects.toBeInstanceOf(Conflict);
  });

  it('removes the account again when the profile cannot be written', async () => {
    const { deps, users } = fakes({ failProfileWrite: true });
    await expect(createPatient(registration, deps)).rejects.toThrow('write failed');
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
    const stored = await createPatient(registration, deps);
    const profile = await getOwnProfile({ userId: stored.userId, email: stored.email, role: 'admin' }, deps);
    expect(profile.role).toBe('admin');
    expect(profile).not.toHaveProperty('consents');
  });
});

describe('endSessionsAfterPasswordReset', () => {
  it('refuses every token signed in before the reset, to the second, and audits it without PHI', async () => {
    const { confirmationDeps, ended, audit } = fakes();
    await endSessionsAfterPasswordReset('user-7', confirmationDeps);
    expect(ended).toEqual([{ userId: 'user-7', validAfter: Date.parse('2026-11-27T10:00:00Z') / 1000 }]);
    expect(audit).toEqual([{ action: 'password.reset', actorId: 'user-7', targetId: 'user-7' }]);
  });
});
