/**
 * The contract every AppointmentRepository keeps, as one test suite: run against the in-memory fake
 * (unit tests) and against the DynamoDB adapter on DynamoDB Local (integration tests), so domain
 * tests and the real database agree on what a transaction does.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/appointments';
import { claimChanges, claimsOf } from '../appointments';
import {
  BookingKeyTaken,
  StaleWrite,
  TimeTaken,
  type AppointmentRepository,
  type BookingKey,
  type TimeClaim,
} from '../ports';

const MINUTE = 60_000;
const BASE = Date.parse('2031-03-03T09:00:00.000Z');

function appointment(overrides: Partial<Appointment> & { startMinute?: number; minutes?: number } = {}) {
  const { startMinute = 0, minutes = 20, ...rest } = overrides;
  const start = BASE + startMinute * MINUTE;
  return {
    appointmentId: randomUUID(),
    doctorId: `doc-${randomUUID()}`,
    patientId: `pat-${randomUUID()}`,
    doctorName: 'Dr Contract',
    patientName: 'Pat Contract',
    start: new Date(start).toISOString(),
    end: new Date(start + minutes * MINUTE).toISOString(),
    status: 'booked',
    reason: 'Contract',
    createdAt: new Date(BASE - 86_400_000).toISOString(),
    updatedAt: new Date(BASE - 86_400_000).toISOString(),
    version: 1,
    ...rest,
  } satisfies Appointment;
}

function bookingKey(a: Appointment, key = `key-${randomUUID()}`): BookingKey {
  return {
    patientId: a.patientId,
    key,
    requestHash: 'hash-1',
    appointmentId: a.appointmentId,
    expiresAt: Math.floor(Date.parse(a.createdAt) / 1000) + 86_400,
  };
}

/** Whether `claim` is held: a probe appointment claiming only it is refused. */
async function isHeld(repo: AppointmentRepository, claim: TimeClaim): Promise<boolean> {
  try {
    await repo.create(appointment(), [claim]);
    return false;
  } catch (err) {
    if (err instanceof TimeTaken) return true;
    throw err;
  }
}

export function appointmentRepositoryContract(name: string, repository: () => AppointmentRepository) {
  describe(`AppointmentRepository contract: ${name}`, () => {
    it('create writes the appointment with all its claims; an overlapping create is refused whole', async () => {
      const repo = repository();
      const a = appointment();
      await repo.create(a, claimsOf(a));
      expect(await repo.get(a.appointmentId)).toMatchObject({ start: a.start, version: 1 });

      // Same doctor, starting 10 minutes in: its first two steps are free, the third is not.
      const b = appointment({ doctorId: a.doctorId, startMinute: 10 });
      const refused = await repo.create(b, claimsOf(b)).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(TimeTaken);
      expect((refused as TimeTaken).claim.owner).toBe(`doctor:${a.doctorId}`);
      expect(await repo.get(b.appointmentId)).toBeUndefined();
      // Nothing of the refused write stayed behind: the patient's claims it would have taken are free.
      const patientClaims = claimsOf(b).filter((c) => c.owner.startsWith('patient:'));
      for (const claim of patientClaims) expect(await isHeld(repo, claim)).toBe(false);
    });

    it('says which owner’s time was taken', async () => {
      const repo = repository();
      const a = appointment();
      await repo.create(a, claimsOf(a));
      const samePatient = appointment({ patientId: a.patientId });
      const refused = await repo.create(samePatient, claimsOf(samePatient)).catch((err: unknown) => err);
      expect((refused as TimeTaken).claim.owner).toBe(`patient:${a.patientId}`);
    });

    it('an existing appointment id is a StaleWrite', async () => {
      const repo = repository();
      const a = appointment();
      await repo.create(a, claimsOf(a));
      const again = { ...appointment(), appointmentId: a.appointmentId };
      await expect(repo.create(again, claimsOf(again))).rejects.toBeInstanceOf(StaleWrite);
    });

    it('exactly one of many concurrent creates on the same time wins', async () => {
      const repo = repository();
      const doctorId = `doc-${randomUUID()}`;
      const racers = Array.from({ length: 10 }, () => appointment({ doctorId }));
      const results = await Promise.allSettled(racers.map((r) => repo.create(r, claimsOf(r))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(TimeTaken);
    });

    it('a booking key is written with the booking, refuses a second use, and expires', async () => {
      const repo = repository();
      const a = appointment();
      const key = bookingKey(a);
      await repo.create(a, claimsOf(a), key);
      const now = Math.floor(Date.parse(a.createdAt) / 1000);
      expect(await repo.findBookingKey(a.patientId, key.key, now)).toEqual(key);
      expect(await repo.findBookingKey(`pat-${randomUUID()}`, key.key, now)).toBeUndefined();

      const second = appointment({ patientId: a.patientId, startMinute: 60 });
      await expect(
        repo.create(second, claimsOf(second), { ...bookingKey(second, key.key) }),
      ).rejects.toBeInstanceOf(BookingKeyTaken);
      expect(await repo.get(second.appointmentId)).toBeUndefined();
      for (const claim of claimsOf(second)) expect(await isHeld(repo, claim)).toBe(false);

      // A day later the key is forgotten, even before TTL has removed it.
      expect(await repo.findBookingKey(a.patientId, key.key, key.expiresAt + 1)).toBeUndefined();
      const nextDay = appointment({
        patientId: a.patientId,
        startMinute: 120,
        createdAt: new Date((key.expiresAt + 1) * 1000).toISOString(),
      });
      await expect(repo.create(nextDay, claimsOf(nextDay), bookingKey(nextDay, key.key))).resolves.toBe(
        undefined,
      );
    });

    it('update moves the version on and refuses a stale version, changing nothing', async () => {
      const repo = repository();
      const a = appointment();
      await repo.create(a, claimsOf(a));
      const checkedIn = await repo.update(a, { status: 'checked_in' });
      expect(checkedIn.version).toBe(2);
      expect(await repo.get(a.appointmentId)).toMatchObject({ status: 'checked_in', version: 2 });
      await expect(
        repo.update(a, { status: 'cancelled' }, { add: [], remove: claimsOf(a) }),
      ).rejects.toBeInstanceOf(StaleWrite);
      expect(await repo.get(a.appointmentId)).toMatchObject({ status: 'checked_in', version: 2 });
      for (const claim of claimsOf(a)) expect(await isHeld(repo, claim)).toBe(true);
    });

    it('a move takes the new claims and frees the old in one write, or does nothing', async () => {
      const repo = repository();
      const a = appointment();
      await repo.create(a, claimsOf(a));
      const blocker = appointment({ doctorId: a.doctorId, startMinute: 40 });
      await repo.create(blocker, claimsOf(blocker));

      const blocked = { start: blocker.start, end: blocker.end };
      await expect(
        repo.update(a, blocked, claimChanges(claimsOf(a), claimsOf({ ...a, ...blocked }))),
      ).rejects.toBeInstanceOf(TimeTaken);
      expect(await repo.get(a.appointmentId)).toMatchObject({ start: a.start, version: 1 });
      for (const claim of claimsOf(a)) expect(await isHeld(repo, claim)).toBe(true);

      // Move by 10 minutes: the overlap is kept, only the difference changes hands.
      const time = {
        start: new Date(Date.parse(a.start) + 10 * MINUTE).toISOString(),
        end: new Date(Date.parse(a.end) + 10 * MINUTE).toISOString(),
      };
      const changes = claimChanges(claimsOf(a), claimsOf({ ...a, ...time }));
      expect(changes.add).toHaveLength(4);
      expect(changes.remove).toHaveLength(4);
      await repo.update(a, time, changes);
      for (const claim of changes.remove) expect(await isHeld(repo, claim)).toBe(false);
      for (const claim of claimsOf({ ...a, ...time })) expect(await isHeld(repo, claim)).toBe(true);
    });

    it('lists the doctor’s busy time by start, following every booking, move and release', async () => {
      const repo = repository();
      const a = appointment();
      const b = appointment({ doctorId: a.doctorId, startMinute: 60, minutes: 10 });
      const nextDay = appointment({ doctorId: a.doctorId, startMinute: 24 * 60 + 10 });
      const otherDoctor = appointment({ startMinute: 30 });
      // Written out of order: the read still comes back ascending.
      for (const x of [nextDay, b, otherDoctor, a]) await repo.create(x, claimsOf(x));
      const at = (minute: number) => new Date(BASE + minute * MINUTE).toISOString();
      const busyOf = (...xs: Pick<Appointment, 'appointmentId' | 'start' | 'end'>[]) =>
        xs.map(({ appointmentId, start, end }) => ({
          appointmentId,
          start: Date.parse(start),
          end: Date.parse(end),
        }));
      const instant = (minute: number) => BASE + minute * MINUTE;
      const week = () => repo.listBusy(a.doctorId, instant(-7 * 24 * 60), instant(7 * 24 * 60));

      expect(await week()).toEqual(busyOf(a, b, nextDay));
      // Both bounds are included, and only the start counts.
      expect(await repo.listBusy(a.doctorId, instant(0), instant(60))).toEqual(busyOf(a, b));
      expect(await repo.listBusy(a.doctorId, instant(5), instant(59))).toEqual([]);

      // A change without claims (check-in) keeps the time; a move takes the new time, also to another day.
      const checkedIn = await repo.update(a, { status: 'checked_in' });
      expect(await week()).toEqual(busyOf(a, b, nextDay));
      const later = { start: at(10), end: at(30) };
      const moved = await repo.update(
        checkedIn,
        later,
        claimChanges(claimsOf(a), claimsOf({ ...a, ...later })),
      );
      const otherDay = { start: at(2 * 24 * 60), end: at(2 * 24 * 60 + 10) };
      const movedB = await repo.update(
        b,
        otherDay,
        claimChanges(claimsOf(b), claimsOf({ ...b, ...otherDay })),
      );
      expect(await week()).toEqual(busyOf(moved, nextDay, movedB));

      // Back to the first time of the day, then away and back across days: the latest move counts.
      const movedBack = await repo.update(
        moved,
        { start: a.start, end: a.end },
        claimChanges(claimsOf(moved), claimsOf(a)),
      );
      expect(await week()).toEqual(busyOf(movedBack, nextDay, movedB));
      const bBack = await repo.update(
        movedB,
        { start: b.start, end: b.end },
        claimChanges(claimsOf(movedB), claimsOf(b)),
      );
      expect(await week()).toEqual(busyOf(movedBack, bBack, nextDay));

      // Releasing the claims frees the time.
      await repo.update(movedBack, { status: 'cancelled' }, { add: [], remove: claimsOf(movedBack) });
      expect(await week()).toEqual(busyOf(bBack, nextDay));
      await repo.update(bBack, { status: 'cancelled' }, { add: [], remove: claimsOf(bBack) });
      expect(await week()).toEqual(busyOf(nextDay));
      expect(await repo.listBusy(otherDoctor.doctorId, instant(0), instant(60))).toEqual(busyOf(otherDoctor));
    });

    it('the longest slot the API allows (120 minutes) books and moves within one transaction', async () => {
      const repo = repository();
      const a = appointment({ minutes: 120 });
      // 24 five-minute steps for the doctor and 24 for the patient, plus the appointment and key.
      expect(claimsOf(a)).toHaveLength(48);
      await repo.create(a, claimsOf(a), bookingKey(a));
      // To the next day: in the DynamoDB adapter it leaves one busy day and enters another.
      const far = {
        start: new Date(BASE + 26 * 60 * MINUTE).toISOString(),
        end: new Date(BASE + 28 * 60 * MINUTE).toISOString(),
      };
      const changes = claimChanges(claimsOf(a), claimsOf({ ...a, ...far }));
      // The largest change there is: 1 + 48 new + 48 freed = 97 items, plus the doctor's two busy
      // days in the DynamoDB adapter: 99, under DynamoDB's 100.
      expect(1 + changes.add.length + changes.remove.length).toBe(97);
      await expect(repo.update(a, far, changes)).resolves.toMatchObject({ start: far.start, version: 2 });
      const cancelled = await repo.get(a.appointmentId);
      await repo.update(cancelled!, { status: 'cancelled' }, { add: [], remove: claimsOf({ ...a, ...far }) });
      for (const claim of claimsOf({ ...a, ...far })) expect(await isHeld(repo, claim)).toBe(false);
    });
  });
}
