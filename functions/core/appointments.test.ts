import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Availability } from '../../shared/appointments';
import { Conflict, NotFound, TooManyRequests, UnprocessableEntity } from './errors';
import type { Identity } from './identity';
import {
  bookAppointment,
  cancelAppointment,
  claimsOf,
  completeAppointment,
  findOpenSlots,
  getOwnAppointment,
  getPatientDetails,
  listPatientVisits,
  markNoShow,
  readVisitNotes,
  rescheduleAppointment,
  saveVisitNotes,
  searchDoctors,
} from './appointments';
import { inMemoryDeps } from './testing/in-memory';

const doctor: Identity = { userId: 'doc-1', email: 'd@example.com', role: 'doctor' };
const otherDoctor: Identity = { userId: 'doc-2', email: 'd2@example.com', role: 'doctor' };
const patient: Identity = { userId: 'pat-1', email: 'p@example.com', role: 'patient' };
const otherPatient: Identity = { userId: 'pat-2', email: 'p2@example.com', role: 'patient' };

const week = (ranges: { start: string; end: string }[]) => ({
  mon: ranges,
  tue: ranges,
  wed: ranges,
  thu: ranges,
  fri: ranges,
  sat: ranges,
  sun: ranges,
});
const availability: Availability = {
  timeZone: 'UTC',
  slotMinutes: 20,
  weekly: week([{ start: '09:00', end: '12:00' }]),
  daysOff: [],
  dates: [],
};

const now = { value: new Date('2026-02-02T08:00:00Z') };
let mem: ReturnType<typeof inMemoryDeps>;

function expectConflict(promise: Promise<unknown>, code: string) {
  return expect(promise).rejects.toSatisfy((e) => e instanceof Conflict && e.code === code);
}

beforeEach(async () => {
  now.value = new Date('2026-02-02T08:00:00Z');
  mem = inMemoryDeps(now);
  for (const d of [doctor, otherDoctor]) {
    await mem.deps.profiles.put({
      userId: d.userId,
      role: 'doctor',
      name: `Dr ${d.userId}`,
      email: d.email,
      specialty: 'GP',
      createdAt: '',
    });
    await mem.deps.appointments.putAvailability(d.userId, availability);
  }
  for (const p of [patient, otherPatient]) {
    await mem.deps.profiles.put({
      userId: p.userId,
      role: 'patient',
      name: `Patient ${p.userId}`,
      email: p.email,
      phone: '+15555550100',
      smsOptIn: true,
      phoneVerified: true,
      createdAt: '',
    });
  }
});

const book = (who: Identity, start: string, doctorId = doctor.userId) =>
  bookAppointment(who, { doctorId, start, reason: 'Persistent cough', timeZone: 'Europe/Berlin' }, mem.deps);

describe('booking', () => {
  it('books an open slot, links doctor and patient, texts the patient without the reason, schedules a reminder', async () => {
    const a = await book(patient, '2026-02-02T09:20:00.000Z');
    expect(a).toMatchObject({
      status: 'booked',
      end: '2026-02-02T09:40:00.000Z',
      patientName: 'Patient pat-1',
    });
    expect(await mem.deps.appointments.getDoctorPatient(doctor.userId, patient.userId)).toBeDefined();
    expect(mem.sent).toHaveLength(1);
    expect(mem.sent[0]!.body).toContain('10:20'); // Berlin time
    expect(mem.sent[0]!.body).not.toContain('cough');
    expect(mem.reminders.get(a.appointmentId)).toEqual(new Date('2026-02-02T09:05:00Z'));
  });

  it('refuses a taken slot, a past slot and a slot outside availability with 409 and a code', async () => {
    await book(patient, '2026-02-02T09:20:00.000Z');
    await expectConflict(book(otherPatient, '2026-02-02T09:20:00.000Z'), 'slot_taken');
    await expectConflict(book(otherPatient, '2026-02-01T09:20:00.000Z'), 'slot_past');
    await expectConflict(book(otherPatient, '2026-02-02T09:25:00.000Z'), 'slot_outside_availability');
    await expectConflict(book(otherPatient, '2026-02-02T13:00:00.000Z'), 'slot_outside_availability');
  });

  it('a deactivated doctor cannot be booked or offer times, even by a direct link (404)', async () => {
    const stored = await mem.deps.profiles.get(doctor.userId);
    await mem.deps.profiles.put({ ...stored!, deactivatedAt: '2026-02-01T00:00:00.000Z' });
    await expect(book(patient, '2026-02-02T09:20:00.000Z')).rejects.toBeInstanceOf(NotFound);
    expect(
      await mem.deps.appointments.listForPatient(patient.userId, { limit: 10, order: 'asc' }),
    ).toMatchObject({
      items: [],
    });
  });

  it('lets exactly one of many racing requests have the slot', async () => {
    const racers = Array.from({ length: 10 }, (_, i) => ({
      userId: `racer-${i}`,
      email: '',
      role: 'patient' as const,
    }));
    for (const r of racers)
      await mem.deps.profiles.put({
        userId: r.userId,
        role: 'patient',
        name: r.userId,
        email: '',
        createdAt: '',
      });
    const results = await Promise.allSettled(racers.map((r) => book(r, '2026-02-02T10:00:00.000Z')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect([...mem.appointments.values()]).toHaveLength(1);
  });

  it('does not let a patient hold two overlapping appointments, even with different doctors', async () => {
    await book(patient, '2026-02-02T10:00:00.000Z');
    await expectConflict(book(patient, '2026-02-02T10:00:00.000Z', otherDoctor.userId), 'patient_overlap');
    // and the refused write claimed none of the other doctor's time
    await expect(book(otherPatient, '2026-02-02T10:00:00.000Z', otherDoctor.userId)).resolves.toBeDefined();
  });

  it('claims every 5-minute step of the doctor’s and the patient’s time with the appointment', async () => {
    const a = await book(patient, '2026-02-02T10:00:00.000Z');
    expect(claimsOf(a)).toHaveLength(8); // 20 minutes × (doctor + patient)
    const held = [...mem.claims.entries()].filter(([, id]) => id === a.appointmentId).map(([c]) => c);
    expect(held.sort()).toEqual(
      claimsOf(a)
        .map((c) => `${c.owner}|${c.bucket}`)
        .sort(),
    );
  });

  it('a booking killed between any two of its steps leaves nothing behind, and can be retried', async () => {
    // Steps: the appointment, the booking key, then 8 claims. Kill it after each number of steps.
    for (let steps = 1; steps <= 9; steps++) {
      mem.crashDuringNextWrite(steps);
      await expect(
        bookAppointment(
          patient,
          { doctorId: doctor.userId, start: '2026-02-02T10:00:00.000Z', reason: 'Cough' },
          mem.deps,
          `attempt-key-${steps}`,
        ),
      ).rejects.toThrow('simulated crash');
      expect(mem.appointments.size).toBe(0);
      expect(mem.claims.size).toBe(0);
      expect(mem.bookingKeys.size).toBe(0);
    }
    await expect(book(patient, '2026-02-02T10:00:00.000Z')).resolves.toMatchObject({ status: 'booked' });
    expect(mem.claims.size).toBe(8);
  });

  it('a reschedule killed midway leaves the appointment and its claims where they were', async () => {
    const a = await book(patient, '2026-02-02T10:00:00.000Z');
    const before = new Map(mem.claims);
    mem.crashDuringNextWrite(5);
    await expect(
      rescheduleAppointment(patient, a.appointmentId, '2026-02-02T11:00:00.000Z', mem.deps),
    ).rejects.toThrow('simulated crash');
    expect(mem.claims).toEqual(before);
    expect(await mem.deps.appointments.get(a.appointmentId)).toMatchObject({ start: a.start, version: 1 });
  });
  it('queues the text with ids only: no phone, name, body or reason waits in the queue', async () => {
    const a = await book(patient, '2026-02-02T09:00:00.000Z');
    expect(mem.queued).toEqual([
      {
        appointmentId: a.appointmentId,
        kind: 'booked',
        recipientId: patient.userId,
        version: a.version,
        queuedAt: '2026-02-02T08:00:00.000Z',
      },
    ]);
    expect(mem.sent).toHaveLength(1);
  });

  it('never fails a booking because texting failed; after the last retry the text is a dead letter', async () => {
    mem.failNextSms(5);
    const a = await book(patient, '2026-02-02T09:00:00.000Z');
    expect(a.status).toBe('booked');
    expect(mem.sent).toHaveLength(0);
    expect(mem.deadLetters).toEqual([
      expect.objectContaining({ appointmentId: a.appointmentId, kind: 'booked' }),
    ]);
  });

  it('a booking the queue refuses still stands, and the warning carries no PHI', async () => {
    mem.deps.texts = {
      enqueue: () => Promise.reject(Object.assign(new Error('down'), { name: 'QueueDown' })),
    };
    const a = await book(patient, '2026-02-02T09:00:00.000Z');
    expect(a.status).toBe('booked');
    expect(mem.warnings).toEqual([
      {
        message: 'sms not queued',
        attributes: { appointmentId: a.appointmentId, kind: 'booked', errorName: 'QueueDown' },
      },
    ]);
    expect(JSON.stringify(mem.warnings)).not.toMatch(/\+1555|Patient|cough/);
  });

  it('a retried text that then succeeds is sent once', async () => {
    mem.failNextSms(2);
    await book(patient, '2026-02-02T09:00:00.000Z');
    expect(mem.sent).toHaveLength(1);
    expect(mem.deadLetters).toHaveLength(0);
  });

  it('does not text patients who opted out', async () => {
    const p = await mem.deps.profiles.get(patient.userId);
    await mem.deps.profiles.put({ ...p!, smsOptIn: false });
    await book(patient, '2026-02-02T09:00:00.000Z');
    expect(mem.sent).toHaveLength(0);
  });
});

describe('the booking rate limit', () => {
  it('refuses the 11th booking request of a minute with 429 rate_limited and a retry time', async () => {
    mem.deps.policy.maxUpcomingAppointments = 100;
    for (let i = 0; i < 10; i += 1) {
      await book(patient, new Date(Date.parse('2026-02-03T09:00:00Z') + i * 86_400_000).toISOString());
    }
    const refused = book(patient, '2026-02-14T09:00:00.000Z');
    await expect(refused).rejects.toSatisfy(
      (e) => e instanceof TooManyRequests && e.code === 'rate_limited' && e.retryAfterSeconds === 6,
    );
    expect(mem.appointments.size).toBe(10);
    await book(otherPatient, '2026-02-14T09:00:00.000Z');
    now.value = new Date(now.value.getTime() + 6_000);
    await book(patient, '2026-02-15T09:00:00.000Z');
  });
});

describe('the upcoming-appointments limit', () => {
  const starts = ['2026-02-03T09:00:00.000Z', '2026-02-04T09:00:00.000Z', '2026-02-05T09:00:00.000Z'];
  const fourth = '2026-02-06T09:00:00.000Z';

  it('refuses a fourth upcoming booking with 409 too_many_upcoming and changes nothing', async () => {
    for (const start of starts) await book(patient, start);
    const texts = mem.sent.length;
    await expectConflict(book(patient, fourth), 'too_many_upcoming');
    expect(mem.appointments.size).toBe(3);
    expect(mem.sent).toHaveLength(texts);
    // Another patient is not affected.
    await book(otherPatient, fourth);
  });

  it('still answers an idempotent retry of an earlier booking at the limit', async () => {
    const request = { doctorId: doctor.userId, start: starts[0]!, reason: 'Cough' };
    const first = await bookAppointment(patient, request, mem.deps, 'limit-key-1');
    for (const start of starts.slice(1)) await book(patient, start);
    const retry = await bookAppointment(patient, request, mem.deps, 'limit-key-1');
    expect(retry.appointmentId).toBe(first.appointmentId);
  });

  it('frees a place when one is cancelled or has taken place, and follows the policy setting', async () => {
    const booked = [];
    for (const start of starts) booked.push(await book(patient, start));
    await cancelAppointment(patient, booked[0]!.appointmentId, 'Plans changed', mem.deps);
    await book(patient, fourth);
    now.value = new Date('2026-02-04T10:00:00Z'); // the 4th's 09:00 one has ended
    await book(patient, '2026-02-07T09:00:00.000Z');
    mem.deps.policy.maxUpcomingAppointments = 1;
    await expectConflict(book(patient, '2026-02-08T09:00:00.000Z'), 'too_many_upcoming');
  });
});

describe('idempotent booking', () => {
  const request = { doctorId: doctor.userId, start: '2026-02-02T10:00:00.000Z', reason: 'Cough' };

  it('the same key and body return the first appointment, even when sent at the same moment', async () => {
    const [first, second] = await Promise.all([
      bookAppointment(patient, request, mem.deps, 'double-click-key'),
      bookAppointment(patient, request, mem.deps, 'double-click-key'),
    ]);
    expect(second.appointmentId).toBe(first.appointmentId);
    const again = await bookAppointment(patient, request, mem.deps, 'double-click-key');
    expect(again.appointmentId).toBe(first.appointmentId);
    expect(mem.appointments.size).toBe(1);
    expect(mem.sent).toHaveLength(1);
  });

  it('a retry whose first look came before the original committed still gets the original', async () => {
    const first = await bookAppointment(patient, request, mem.deps, 'in-flight-key');
    // The retry looked for its key while the original was still in flight, then found the slot taken.
    const find = mem.deps.appointments.findBookingKey;
    let looks = 0;
    mem.deps.appointments.findBookingKey = (...args) =>
      looks++ === 0 ? Promise.resolve(undefined) : find(...args);
    const retry = await bookAppointment(patient, request, mem.deps, 'in-flight-key');
    expect(retry.appointmentId).toBe(first.appointmentId);
    expect(looks).toBe(2);
  });

  it('the same key with another body is a 422 and books nothing', async () => {
    await bookAppointment(patient, request, mem.deps, 'reused-key-1');
    await expect(
      bookAppointment(patient, { ...request, start: '2026-02-02T11:00:00.000Z' }, mem.deps, 'reused-key-1'),
    ).rejects.toSatisfy((e) => e instanceof UnprocessableEntity && e.code === 'idempotency_key_reused');
    expect(mem.appointments.size).toBe(1);
  });

  it('keys belong to one patient and are forgotten after 24 hours', async () => {
    const mine = await bookAppointment(patient, request, mem.deps, 'shared-key-1');
    const theirs = await bookAppointment(
      otherPatient,
      { ...request, start: '2026-02-02T11:00:00.000Z' },
      mem.deps,
      'shared-key-1',
    );
    expect(theirs.appointmentId).not.toBe(mine.appointmentId);
    now.value = new Date('2026-02-03T08:00:01Z');
    const later = await bookAppointment(
      patient,
      { ...request, start: '2026-02-03T10:00:00.000Z' },
      mem.deps,
      'shared-key-1',
    );
    expect(later.appointmentId).not.toBe(mine.appointmentId);
  });
});

describe('open slots', () => {
  it('drop booked time and come back when the booking is cancelled', async () => {
    const slots = () =>
      findOpenSlots(
        doctor.userId,
        { from: '2026-02-02T00:00:00Z', to: '2026-02-03T00:00:00Z', purpose: 'book' },
        mem.deps,
      );
    expect(await slots()).toHaveLength(9);
    const a = await book(patient, '2026-02-02T11:00:00.000Z');
    expect((await slots()).map((s) => s.start)).not.toContain('2026-02-02T11:00:00.000Z');
    await cancelAppointment(patient, a.appointmentId, 'Feeling better', mem.deps);
    expect(await slots()).toHaveLength(9);
  });

  it('are asked for a bounded range of a real doctor', async () => {
    await expect(
      findOpenSlots(
        'nobody',
        { from: '2026-02-02T00:00:00Z', to: '2026-02-03T00:00:00Z', purpose: 'book' },
        mem.deps,
      ),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(
      findOpenSlots(
        doctor.userId,
        { from: '2026-02-02T00:00:00Z', to: '2026-05-03T00:00:00Z', purpose: 'book' },
        mem.deps,
      ),
    ).rejects.toThrow('at most');
  });
});

describe('booking notice and change cut-off', () => {
  const openStarts = async (purpose: 'book' | 'reschedule') =>
    (
      await findOpenSlots(
        doctor.userId,
        { from: '2026-02-02T00:00:00Z', to: '2026-02-03T00:00:00Z', purpose },
        mem.deps,
      )
    ).map((s) => s.start);

  it('refuses, and no picker offers, a start inside the notice; a doctor may set their own', async () => {
    now.value = new Date('2026-02-02T08:30:00Z');
    expect((await openStarts('book'))[0]).toBe('2026-02-02T09:40:00.000Z');
    await expectConflict(book(patient, '2026-02-02T09:20:00.000Z'), 'too_short_notice');
    await expect(book(patient, '2026-02-02T09:20:00.000Z')).rejects.toThrow('at least 1 hour from now');
    await mem.deps.appointments.putAvailability(doctor.userId, { ...availability, minNoticeMinutes: 180 });
    expect((await openStarts('book'))[0]).toBe('2026-02-02T11:40:00.000Z');
    await expectConflict(book(patient, '2026-02-02T11:20:00.000Z'), 'too_short_notice');
    await expect(book(patient, '2026-02-02T11:40:00.000Z')).resolves.toBeDefined();
  });

  it('a patient moves only to times outside the cut-off, and only before it; the picker agrees', async () => {
    const a = await book(patient, '2026-02-02T11:00:00.000Z');
    // 08:00 now: the cut-off (2 hours) is longer than the notice (1 hour).
    expect((await openStarts('reschedule'))[0]).toBe('2026-02-02T10:00:00.000Z');
    await expectConflict(
      rescheduleAppointment(patient, a.appointmentId, '2026-02-02T09:40:00.000Z', mem.deps),
      'too_short_notice',
    );
    await expect(
      rescheduleAppointment(patient, a.appointmentId, '2026-02-02T10:00:00.000Z', mem.deps),
    ).resolves.toMatchObject({ start: '2026-02-02T10:00:00.000Z' });
    now.value = new Date('2026-02-02T08:01:00Z');
    await expectConflict(
      rescheduleAppointment(patient, a.appointmentId, '2026-02-02T11:40:00.000Z', mem.deps),
      'past_cutoff',
    );
  });
});

describe('the doctor’s notice of short-notice changes', () => {
  const notices = () =>
    mem.pushed
      .filter((p) => p.frame.type === 'booking.notice')
      .map((p) =>
        p.frame.type === 'booking.notice' ? [p.userId, p.frame.event, p.frame.appointment.start] : [],
      );

  it('pushes bookings, moves and cancellations by others within 24 hours, not later ones or their own', async () => {
    const soon = await book(patient, '2026-02-02T11:00:00.000Z');
    await book(otherPatient, '2026-02-04T11:00:00.000Z');
    await rescheduleAppointment(patient, soon.appointmentId, '2026-02-03T11:00:00.000Z', mem.deps);
    await cancelAppointment(doctor, soon.appointmentId, 'Away', mem.deps);
    expect(notices()).toEqual([
      [doctor.userId, 'booked', '2026-02-02T11:00:00.000Z'],
      // Moved away from the next 24 hours: the old time was within them.
      [doctor.userId, 'rescheduled', '2026-02-03T11:00:00.000Z'],
    ]);
  });
});

describe('the directory', () => {
  it('gives each doctor’s next open time and leaves out doctors without hours', async () => {
    now.value = new Date('2026-02-02T11:30:00Z');
    await mem.deps.appointments.putAvailability(otherDoctor.userId, { ...availability, weekly: week([]) });
    await book(patient, '2026-02-03T09:00:00.000Z');
    const { items } = await searchDoctors({ limit: 20 }, mem.deps);
    expect(items).toEqual([
      {
        doctorId: doctor.userId,
        name: 'Dr doc-1',
        specialty: 'GP',
        nextAvailable: '2026-02-03T09:20:00.000Z',
      },
    ]);
  });
});

describe('cancel and reschedule', () => {
  it('a patient may cancel until the cut-off; the doctor may cancel after it', async () => {
    const a = await book(patient, '2026-02-02T09:40:00.000Z'); // 1h40 ahead, inside the 2h cut-off
    await expectConflict(cancelAppointment(patient, a.appointmentId, 'x', mem.deps), 'past_cutoff');
    const cancelled = await cancelAppointment(doctor, a.appointmentId, 'Doctor unwell', mem.deps);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'doctor',
      cancelReason: 'Doctor unwell',
    });
    expect(mem.reminders.has(a.appointmentId)).toBe(false);
    await expectConflict(cancelAppointment(doctor, a.appointmentId, 'again', mem.deps), 'illegal_transition');
  });

  it('reschedules by moving the appointment and its claims in one write', async () => {
    const a = await book(patient, '2026-02-02T11:00:00.000Z');
    const moved = await rescheduleAppointment(patient, a.appointmentId, '2026-02-02T11:20:00.000Z', mem.deps);
    expect(moved).toMatchObject({
      appointmentId: a.appointmentId,
      start: '2026-02-02T11:20:00.000Z',
      status: 'booked',
    });
    await expect(book(otherPatient, '2026-02-02T11:00:00.000Z')).resolves.toBeDefined();
    await expectConflict(book(otherPatient, '2026-02-02T11:20:00.000Z'), 'slot_taken');
    expect(mem.sent.map((m) => m.kind)).toEqual(['booked', 'rescheduled', 'booked']);
  });

  it('changes nothing when the new slot is taken', async () => {
    const a = await book(patient, '2026-02-02T11:00:00.000Z');
    await book(otherPatient, '2026-02-02T11:40:00.000Z');
    await expectConflict(
      rescheduleAppointment(patient, a.appointmentId, '2026-02-02T11:40:00.000Z', mem.deps),
      'slot_taken',
    );
    expect(await mem.deps.appointments.get(a.appointmentId)).toMatchObject({
      start: '2026-02-02T11:00:00.000Z',
      status: 'booked',
    });
    await expectConflict(book(otherPatient, '2026-02-02T11:00:00.000Z'), 'slot_taken');
  });

  it('two identical reschedules at once: one wins, the other is stale, and the new time stays claimed', async () => {
    const a = await book(patient, '2026-02-02T10:00:00.000Z');
    const results = await Promise.allSettled([
      rescheduleAppointment(patient, a.appointmentId, '2026-02-02T11:00:00.000Z', mem.deps),
      rescheduleAppointment(patient, a.appointmentId, '2026-02-02T11:00:00.000Z', mem.deps),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ code: 'stale' });
    await expectConflict(book(patient, '2026-02-02T11:00:00.000Z', otherDoctor.userId), 'patient_overlap');
    await expectConflict(book(otherPatient, '2026-02-02T11:00:00.000Z'), 'slot_taken');
    await expect(book(otherPatient, '2026-02-02T10:00:00.000Z')).resolves.toBeDefined();
  });

  it('can move by less than its own length (overlapping old and new time)', async () => {
    now.value = new Date('2026-02-01T08:00:00Z');
    await mem.deps.appointments.putAvailability(doctor.userId, { ...availability, slotMinutes: 10 });
    const a = await book(patient, '2026-02-02T11:00:00.000Z');
    await mem.deps.appointments.putAvailability(doctor.userId, { ...availability, slotMinutes: 20 });
    const moved = await rescheduleAppointment(patient, a.appointmentId, '2026-02-02T11:20:00.000Z', mem.deps);
    expect(moved.end).toBe('2026-02-02T11:40:00.000Z');
  });
});

describe('who sees what', () => {
  it('only the appointment’s doctor and patient see it', async () => {
    const a = await book(patient, '2026-02-02T11:00:00.000Z');
    await expect(getOwnAppointment(otherPatient, a.appointmentId, mem.deps)).rejects.toBeInstanceOf(NotFound);
    await expect(getOwnAppointment(otherDoctor, a.appointmentId, mem.deps)).rejects.toBeInstanceOf(NotFound);
    await expect(cancelAppointment(otherPatient, a.appointmentId, 'x', mem.deps)).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(getOwnAppointment(doctor, a.appointmentId, mem.deps)).resolves.toMatchObject({
      appointmentId: a.appointmentId,
    });
  });

  it('a doctor sees only patients who booked with them', async () => {
    await book(patient, '2026-02-02T11:00:00.000Z');
    await expect(getPatientDetails(otherDoctor, patient.userId, mem.deps)).rejects.toBeInstanceOf(NotFound);
    await expect(
      listPatientVisits(otherDoctor, patient.userId, undefined, 10, mem.deps),
    ).rejects.toBeInstanceOf(NotFound);
    const details = await getPatientDetails(doctor, patient.userId, mem.deps);
    expect(details).toEqual({
      patient: expect.objectContaining({ userId: patient.userId, name: `Patient ${patient.userId}` }),
      firstBookedAt: '2026-02-02T08:00:00.000Z',
      lastAppointmentStart: '2026-02-02T11:00:00.000Z',
    });
    expect(details).not.toHaveProperty('appointments');
  });

  it('the patient reads only a shared summary, never the notes', async () => {
    const a = await book(patient, '2026-02-02T11:00:00.000Z');
    await saveVisitNotes(
      doctor,
      a.appointmentId,
      { notes: 'private', summary: 'Rest and fluids', summaryShared: false },
      mem.deps,
    );
    await expect(readVisitNotes(patient, a.appointmentId, mem.deps)).rejects.toBeInstanceOf(NotFound);
    await saveVisitNotes(
      doctor,
      a.appointmentId,
      { notes: 'private', summary: 'Rest and fluids', summaryShared: true },
      mem.deps,
    );
    const { notes: shared, appointment } = await readVisitNotes(patient, a.appointmentId, mem.deps);
    expect(appointment.patientId).toBe(patient.userId);
    expect(shared).toMatchObject({ summary: 'Rest and fluids' });
    expect(shared).not.toHaveProperty('notes');
    expect((await readVisitNotes(doctor, a.appointmentId, mem.deps)).notes).toMatchObject({
      notes: 'private',
    });
  });
});

describe('lifecycle', () => {
  it('completes and marks no-show only after the start, and only from allowed states', async () => {
    const a = await book(patient, '2026-02-02T11:00:00.000Z');
    await expectConflict(completeAppointment(doctor, a.appointmentId, mem.deps), 'illegal_transition');
    await expectConflict(markNoShow(doctor, a.appointmentId, mem.deps), 'illegal_transition');
    now.value = new Date('2026-02-02T11:05:00Z');
    await expect(completeAppointment(otherDoctor, a.appointmentId, mem.deps)).rejects.toBeInstanceOf(
      NotFound,
    );
    expect((await completeAppointment(doctor, a.appointmentId, mem.deps)).status).toBe('completed');
    await expectConflict(markNoShow(doctor, a.appointmentId, mem.deps), 'illegal_transition');
    await expectConflict(cancelAppointment(doctor, a.appointmentId, 'late', mem.deps), 'illegal_transition');
  });

  it('a no-show waits for the grace period, then frees the time and counts', async () => {
    const a = await book(patient, '2026-02-02T11:00:00.000Z');
    now.value = new Date('2026-02-02T11:09:59Z');
    await expect(markNoShow(doctor, a.appointmentId, mem.deps)).rejects.toSatisfy(
      (e) => e instanceof Conflict && e.code === 'grace_period',
    );
    now.value = new Date('2026-02-02T11:10:00Z');
    expect((await markNoShow(doctor, a.appointmentId, mem.deps)).status).toBe('no_show');
    expect(mem.counted).toContain('NoShow');
    expect([...mem.claims.values()].filter((id) => id === a.appointmentId)).toHaveLength(0);
    await expect(book(otherPatient, '2026-02-02T11:00:00.000Z')).rejects.toSatisfy(
      (e) => e instanceof Conflict && e.code === 'slot_past',
    );
  });
});

describe('a patient’s visit history, page by page', () => {
  const starts = [
    '2026-02-02T09:00:00.000Z',
    '2026-02-02T09:20:00.000Z',
    '2026-02-03T10:00:00.000Z',
    '2026-02-04T11:00:00.000Z',
    '2026-02-05T09:40:00.000Z',
  ];

  it('pages through the visits with the calling doctor only, newest first, each once, notes read in one batch per page', async () => {
    await book(patient, '2026-02-03T09:00:00.000Z', otherDoctor.userId);
    const ids = [];
    for (const start of starts) {
      // At most three upcoming visits at once: each is booked an hour before it starts.
      now.value = new Date(Date.parse(start) - 3_600_000);
      ids.push((await book(patient, start)).appointmentId);
    }
    await saveVisitNotes(
      doctor,
      ids[1]!,
      { notes: 'private', summary: 'Rest', summaryShared: true },
      mem.deps,
    );
    const batches = vi.spyOn(mem.deps.appointments, 'getNotesOf');
    const single = vi.spyOn(mem.deps.appointments, 'getNotes');

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listPatientVisits(doctor, patient.userId, cursor, 2, mem.deps);
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.items.every((v) => v.doctorId === doctor.userId)).toBe(true);
      seen.push(...page.items.map((v) => v.appointmentId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);

    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);
    expect(batches).toHaveBeenCalledTimes(3);
    expect(single).not.toHaveBeenCalled();
    const first = await listPatientVisits(doctor, patient.userId, undefined, 10, mem.deps);
    const withNotes = first.items.filter((v) => v.notes);
    expect(withNotes.map((v) => [v.appointmentId, v.notes?.summary])).toEqual([[ids[1], 'Rest']]);
  });

  it('an empty page reads no notes', async () => {
    await book(patient, starts[0]!, otherDoctor.userId);
    await mem.deps.appointments.linkDoctorPatient({
      doctorId: doctor.userId,
      patientId: patient.userId,
      patientName: 'Patient',
      firstBookedAt: '2026-02-01T08:00:00.000Z',
      lastAppointmentStart: '2026-02-01T09:00:00.000Z',
    });
    const batches = vi.spyOn(mem.deps.appointments, 'getNotesOf');
    const page = await listPatientVisits(doctor, patient.userId, undefined, 10, mem.deps);
    expect(page).toEqual({ items: [], nextCursor: undefined });
    expect(batches).not.toHaveBeenCalled();
  });
});
