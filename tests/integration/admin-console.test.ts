import { RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DoctorAccount } from '../../shared/admin';
import type { AuditRow } from '../../shared/audit';
import {
  as,
  book,
  call,
  cognito,
  decodePayload,
  initiateAuth,
  newDoctor,
  openSlotsOf,
  poolInfo,
  registerAndSignIn,
  tokenForRole,
} from './support';
import { openSocket } from './ws-client';

let admin: string;
const today = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const RANGE = { from: today(-1), to: today(1) };

/** The error name Cognito answers a sign-in with, or `signed in`/the challenge when it lets it through. */
async function signInOutcome(email: string, password: string) {
  try {
    const result = await initiateAuth(email, password);
    return result.ChallengeName ?? 'signed in';
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

async function accounts(query: Record<string, string>) {
  const res = await call('listDoctorAccounts', { token: admin, query: { limit: 100, ...query } });
  expect(res.status).toBe(200);
  return res.json.items as DoctorAccount[];
}

async function inDirectory(name: string, token: string) {
  const res = await call('listDoctors', { token, query: { q: name, limit: 100 } });
  expect(res.status).toBe(200);
  return (res.json.items as { doctorId: string }[]).map((d) => d.doctorId);
}

async function auditRows(query: Record<string, string>) {
  const res = await call('readAuditTrail', { token: admin, query: { ...RANGE, limit: 100, ...query } });
  expect(res.status).toBe(200);
  return res.json.items as AuditRow[];
}

beforeAll(async () => {
  admin = await tokenForRole('admin');
});

describe('deactivating a doctor', () => {
  let doctor: Awaited<ReturnType<typeof newDoctor>>;
  let patient: Awaited<ReturnType<typeof registerAndSignIn>>;
  let name: string;

  beforeAll(async () => {
    doctor = await newDoctor();
    patient = await registerAndSignIn();
    const slot = (await openSlotsOf(doctor.userId, patient.token))[0]!.start;
    expect((await book(patient.token, doctor.userId, slot)).status).toBe(201);
    name = (await as(doctor.token).call('getMe')).profile.name;
  });

  /** The patient's picker for the doctor's next day (its schedule is kept briefly per container). */
  async function pickerStatus() {
    const from = new Date(Date.now() + 3_600_000).toISOString();
    const to = new Date(Date.now() + 25 * 3_600_000).toISOString();
    const res = await call('listOpenSlots', {
      params: { doctorId: doctor.userId },
      query: { from, to },
      token: patient.token,
    });
    return res.status;
  }

  it('lists the doctor as active with their last sign-in', async () => {
    const [listed] = (await accounts({ q: name, status: 'active' })).filter(
      (d) => d.doctorId === doctor.userId,
    );
    expect(listed).toMatchObject({ name, email: doctor.email, specialty: 'Family medicine' });
    expect(listed!.deactivatedAt).toBeUndefined();
    expect(Date.parse(listed!.lastSignInAt!)).toBeGreaterThan(Date.now() - 10 * 60_000);
  });

  it('refuses sign-in and tokens, hides the doctor from the directory, and keeps the visits', async () => {
    expect(await inDirectory(name, patient.token)).toContain(doctor.userId);
    expect(await pickerStatus()).toBe(200);
    const socket = await openSocket(doctor.token);
    const closed = new Promise<number>((resolve) => socket.socket.once('close', (code) => resolve(code)));
    const res = await call('deactivateDoctor', { token: admin, params: { doctorId: doctor.userId } });
    expect(res.status).toBe(200);
    expect(res.json.upcomingAppointments).toBe(1);
    expect(res.json.doctor.deactivatedAt).toEqual(expect.any(String));

    expect((await call('getMe', { token: doctor.token })).status).toBe(401);
    expect(await closed).toBe(1000);
    expect(await signInOutcome(doctor.email, 'Doctor-Pass-2026')).toBe(
      'NotAuthorizedException: User is disabled.',
    );
    expect(await inDirectory(name, patient.token)).not.toContain(doctor.userId);
    // At once, though the picker's container had just read the doctor's schedule.
    expect(await pickerStatus()).toBe(404);
    expect((await accounts({ q: name, status: 'active' })).map((d) => d.doctorId)).not.toContain(
      doctor.userId,
    );
    expect((await accounts({ q: name, status: 'deactivated' })).map((d) => d.doctorId)).toContain(
      doctor.userId,
    );
    // The patient's booking stands.
    const mine = await as(patient.token).call('listAppointments', { query: { status: 'booked' } });
    expect(mine.items.map((a) => a.doctorId)).toContain(doctor.userId);

    // A second deactivation changes nothing and records nothing.
    const again = await call('deactivateDoctor', { token: admin, params: { doctorId: doctor.userId } });
    expect(again.json.doctor.deactivatedAt).toBe(res.json.doctor.deactivatedAt);
    const entries = await auditRows({ action: 'doctor.deactivated' });
    expect(entries.filter((e) => e.targetId === doctor.userId)).toHaveLength(1);
  });

  it('reactivation restores sign-in and the directory; old tokens stay refused', async () => {
    const res = await call('reactivateDoctor', { token: admin, params: { doctorId: doctor.userId } });
    expect(res.status).toBe(200);
    expect(res.json.doctor.deactivatedAt).toBeUndefined();
    // Enrolled in two-step sign-in: the password is accepted and the code is asked for.
    expect(await signInOutcome(doctor.email, 'Doctor-Pass-2026')).toBe('SOFTWARE_TOKEN_MFA');
    expect(await inDirectory(name, patient.token)).toContain(doctor.userId);
    expect(await pickerStatus()).toBe(200);
    expect((await call('getMe', { token: doctor.token })).status).toBe(401);
  });

  it('records both in words: who, what, on whom', async () => {
    const adminName = (await as(admin).call('getMe')).profile.name;
    const rows = (await auditRows({ actorId: String(decodePayload(admin).sub) })).filter(
      (r) => r.targetId === doctor.userId && r.action !== 'doctor.created',
    );
    expect(rows.map((r) => r.action).sort()).toEqual(['doctor.deactivated', 'doctor.reactivated']);
    for (const row of rows)
      expect(row).toMatchObject({ actorName: adminName, targetName: name, actorRole: 'admin' });
  });

  it('answers 404 for an id that is no doctor, and 403 to a doctor', async () => {
    const patientId = String(decodePayload(patient.token).sub);
    for (const doctorId of ['no-such-doctor', patientId]) {
      expect((await call('deactivateDoctor', { token: admin, params: { doctorId } })).status).toBe(404);
    }
    const other = await newDoctor();
    expect(
      (await call('deactivateDoctor', { token: other.token, params: { doctorId: other.userId } })).status,
    ).toBe(403);
    expect((await call('listDoctorAccounts', { token: admin, query: { status: 'gone' } })).status).toBe(400);
  });
});

describe('sending an invitation again', () => {
  it('replaces the temporary password while the doctor has not signed in, and only then', async () => {
    const email = `dr.invite.${Date.now()}@example.com`;
    const created = await as(admin).call('createDoctor', {
      email,
      name: 'Dr. Ines Invite',
      specialty: 'Dermatology',
    });
    if (created.invitation.delivery !== 'shown') throw new Error('the local platform shows invitations');
    const doctorId = created.doctor.userId;
    const [listed] = await accounts({ q: 'Ines Invite' });
    expect(listed?.lastSignInAt).toBeUndefined();

    const res = await call('resendInvitation', { token: admin, params: { doctorId } });
    expect(res.status).toBe(200);
    const password = res.json.invitation.temporaryPassword as string;
    expect(password).not.toBe(created.invitation.temporaryPassword);
    expect(await signInOutcome(email, created.invitation.temporaryPassword)).toMatch(/Exception/);
    const first = await initiateAuth(email, password);
    expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    await cognito().send(
      new RespondToAuthChallengeCommand({
        ClientId: poolInfo().userPoolClientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: first.Session,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD: 'Doctor-Pass-2026' },
      }),
    );

    const late = await call('resendInvitation', { token: admin, params: { doctorId } });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('invitation_accepted');
    const entries = (await auditRows({ action: 'doctor.invitationResent' })).filter(
      (e) => e.targetId === doctorId,
    );
    expect(entries).toHaveLength(1);
  });
});

describe('the audit trail in words', () => {
  let entry: AuditRow;
  let doctorName: string;
  let patientName: string;

  beforeAll(async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    doctorName = (await as(doctor.token).call('getMe')).profile.name;
    patientName = (await as(patient.token).call('getMe')).profile.name;
    const slot = (await openSlotsOf(doctor.userId, patient.token))[0]!.start;
    const booked = await book(patient.token, doctor.userId, slot);
    const appointmentId = booked.json.appointment.appointmentId as string;
    const rows = await auditRows({
      action: 'appointment.booked',
      actorId: String(decodePayload(patient.token).sub),
    });
    entry = rows.find((r) => r.targetId === appointmentId)!;
  });

  it("names the visit's doctor and patient", () => {
    expect(entry).toMatchObject({
      actorName: patientName,
      patientName,
      visit: { doctorName, patientName, start: expect.any(String) },
    });
  });

  it("searches the admin's days in their zone", async () => {
    // Kiritimati is UTC+14: the local day of the entry, and the day before, as UTC windows.
    const zone = 'Pacific/Kiritimati';
    const localDay = new Date(Date.parse(entry.at) + 14 * 3_600_000).toISOString().slice(0, 10);
    const dayBefore = new Date(Date.parse(`${localDay}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const query = { action: 'appointment.booked', actorId: entry.actorId, zone };
    const onTheDay = await auditRows({ ...query, from: localDay, to: localDay });
    expect(onTheDay.map((r) => r.at)).toContain(entry.at);
    const before = await auditRows({ ...query, from: dayBefore, to: dayBefore });
    expect(before.map((r) => r.at)).not.toContain(entry.at);
  });

  it('filters by action and refuses an unknown one or zone', async () => {
    const rows = await auditRows({ action: 'appointment.booked' });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(['appointment.booked']));
    for (const query of [{ action: 'made.up' }, { zone: 'Mars/Olympus' }]) {
      const res = await call('readAuditTrail', { token: admin, query: { ...RANGE, ...query } });
      expect(res.status).toBe(400);
    }
  });

  it('exports the same search as CSV in words', async () => {
    const zone = 'America/New_York';
    const res = await call('exportAuditTrail', {
      token: admin,
      query: { ...RANGE, zone, action: 'appointment.booked', actorId: entry.actorId },
    });
    expect(res.status).toBe(200);
    const [header, ...lines] = res.text.trimEnd().split('\r\n');
    expect(header).toBe(
      'time,time_zone,actor,actor_role,action,subject,outcome,request_id,time_utc,action_code,actor_id,patient_id,target_id',
    );
    const line = lines.find((l) => l.includes(entry.targetId!));
    expect(line).toContain(
      `,${patientName},,Appointment booked,"${doctorName}'s visit with ${patientName} on`,
    );
    expect(line).toContain(`,Done,,${entry.at},appointment.booked,${entry.actorId},`);
  });

  it('audits the names it showed as reads of those patients', async () => {
    const reads = await auditRows({ action: 'audit.read', patientId: entry.patientId! });
    expect(reads.length).toBeGreaterThan(0);
  });
});
