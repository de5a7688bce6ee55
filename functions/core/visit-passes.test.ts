import { beforeEach, describe, expect, it } from 'vitest';
import type { Availability } from '../../shared/appointments';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { bookAppointment, cancelAppointment, completeAppointment } from './appointments';
import { Conflict, Gone } from './errors';
import { admitGuest, consentToGuest, guestCheckIn, guestVisit, redeemVisitLink, removeGuest } from './guests';
import { inviteGuest } from './guest-invitations';
import type { Identity } from './identity';
import { inMemoryDeps } from './testing/in-memory';
import { PASS_SLACK_MINUTES, passExpiry, tokenHash, visitSessionCheck } from './visit-passes';

const doctor: Identity = { userId: 'doc-1', email: 'd@example.com', role: 'doctor' };
const patient: Identity = { userId: 'pat-1', email: 'p@example.com', role: 'patient' };
const day = { start: '09:00', end: '12:00' };
const availability: Availability = {
  timeZone: 'UTC',
  slotMinutes: 20,
  weekly: { mon: [day], tue: [day], wed: [day], thu: [day], fri: [day], sat: [day], sun: [day] },
  daysOff: [],
  dates: [],
};
const deviceCheck = { camera: true, microphone: true, speaker: true, browserSupported: true };

const now = { value: new Date('2026-02-02T08:00:00Z') };
let mem: ReturnType<typeof inMemoryDeps>;
let appointmentId: string;

const guestDeps = () => ({ ...mem.deps, guests: mem.guests });
/** The link in the last text to the guest's phone. */
const linkToken = () => {
  const body = mem.sent.filter((t) => t.kind === 'guest_invitation').at(-1)!.body;
  return /\/pass#([A-Za-z0-9_-]{43})$/.exec(body)![1]!;
};
const invite = (by: Identity = patient) =>
  inviteGuest(
    by,
    appointmentId,
    { name: 'Ana Interpreter', relation: 'interpreter', phone: '+447700900456' },
    guestDeps(),
  );

beforeEach(async () => {
  now.value = new Date('2026-02-02T08:00:00Z');
  mem = inMemoryDeps(now);
  await mem.deps.profiles.put({
    userId: doctor.userId,
    role: 'doctor',
    name: 'Dr Who',
    email: doctor.email,
    createdAt: '',
  });
  await mem.deps.profiles.put({
    userId: patient.userId,
    role: 'patient',
    name: 'Pat',
    email: patient.email,
    createdAt: '',
  });
  await mem.deps.appointments.putAvailability(doctor.userId, availability);
  const a = await bookAppointment(
    patient,
    { doctorId: doctor.userId, start: '2026-02-02T09:20:00.000Z', reason: 'Cough', timeZone: 'UTC' },
    mem.deps,
  );
  appointmentId = a.appointmentId;
});

describe('visit pass rules', () => {
  it('expire a named slack after the appointment ends', () => {
    expect(passExpiry({ end: '2026-02-02T09:40:00.000Z' })).toBe(
      Date.parse('2026-02-02T09:40:00.000Z') / 1000 + PASS_SLACK_MINUTES * 60,
    );
  });

  it('text the guest a link holding only random bits, stored as its hash alone', async () => {
    await invite();
    const token = linkToken();
    expect(mem.sent.at(-1)!.to).toBe('+447700900456');
    expect(mem.sent.at(-1)!.body).not.toContain('Cough');
    expect([...mem.visitPasses.passes.keys()]).toEqual([tokenHash(token)]);
    expect(JSON.stringify([...mem.visitPasses.passes.values()])).not.toContain(token);
  });

  it('redeem once: a second use, an unknown link and an expired link get the same 410', async () => {
    await invite();
    const token = linkToken();
    const redeemed = await redeemVisitLink(token, '127.0.0.1', guestDeps());
    expect(redeemed.visit).toMatchObject({ appointmentId, holder: 'guest', doctorName: 'Dr Who' });
    const refused = (t: string) =>
      expect(redeemVisitLink(t, '127.0.0.1', guestDeps())).rejects.toSatisfy(
        (e) => e instanceof Gone && e.code === 'pass_unusable',
      );
    await refused(token);
    await refused('A'.repeat(43));
    await invite();
    const late = linkToken();
    now.value = new Date(passExpiry({ end: '2026-02-02T09:40:00.000Z' }) * 1000);
    await refused(late);
    expect(mem.audit.filter((e) => e.action === 'pass.refused')).toHaveLength(3);
  });

  it('a session works until the visit ends, then is refused', async () => {
    await invite();
    const { sessionToken } = await redeemVisitLink(linkToken(), undefined, guestDeps());
    const check = visitSessionCheck(mem.visitPasses.store, mem.deps.clock);
    expect(await check.verify(sessionToken)).toMatchObject({ appointmentId, holder: 'guest' });
    now.value = new Date('2026-02-02T09:30:00Z');
    await completeAppointment(doctor, appointmentId, mem.deps);
    expect(await check.verify(sessionToken)).toBeUndefined();
  });

  it('a cancelled visit kills the unused link', async () => {
    await invite();
    const token = linkToken();
    await cancelAppointment(doctor, appointmentId, 'Doctor ill', mem.deps);
    await expect(redeemVisitLink(token, undefined, guestDeps())).rejects.toBeInstanceOf(Gone);
  });
});

describe('guest seats', () => {
  it('a re-invitation replaces the guest and kills the earlier link and session', async () => {
    await invite();
    const first = await redeemVisitLink(linkToken(), undefined, guestDeps());
    await invite();
    const check = visitSessionCheck(mem.visitPasses.store, mem.deps.clock);
    expect(await check.verify(first.sessionToken)).toBeUndefined();
    expect(mem.audit.map((e) => e.action)).toContain('guest.reinvited');
    await removeGuest(patient, appointmentId, guestDeps());
    await expect(redeemVisitLink(linkToken(), undefined, guestDeps())).rejects.toBeInstanceOf(Gone);
  });

  it("a doctor's guest waits for the patient's consent before admission", async () => {
    await invite(doctor);
    const { visit } = await redeemVisitLink(linkToken(), undefined, guestDeps());
    const session = {
      appointmentId: visit.appointmentId,
      holder: 'guest' as const,
      holderId: mem.guests.all.get(appointmentId)!.guestId,
      expiresAt: 0,
    };
    now.value = new Date('2026-02-02T09:10:00Z');
    await guestCheckIn(
      session,
      { name: 'Ana', consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck },
      guestDeps(),
    );
    await expect(admitGuest(doctor, appointmentId, guestDeps())).rejects.toSatisfy(
      (e) => e instanceof Conflict && e.code === 'guest_consent_missing',
    );
    await expect(consentToGuest(doctor, appointmentId, guestDeps())).rejects.toThrow('Only the patient');
    const consented = await consentToGuest(patient, appointmentId, guestDeps());
    expect(consented.patientConsentAt).toBe('2026-02-02T09:10:00.000Z');
    await admitGuest(doctor, appointmentId, guestDeps());
    expect(await guestVisit(session, guestDeps())).toMatchObject({
      checkedIn: true,
      admitted: true,
      patientConsented: true,
    });
    expect(mem.audit.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'guest.invited',
        'pass.redeemed',
        'guest.checked_in',
        'guest.consented',
        'guest.admitted',
      ]),
    );
  });
});
