import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { allPages } from '../../shared/appointments';
import {
  advanceClock,
  as,
  eventually,
  book,
  call,
  newDoctor,
  openSlotsOf,
  platform,
  platformNow,
  confirmPhone,
  registerAndSignIn,
  registerMany,
} from './support';

const db = () =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: platform().dynamodbEndpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );

async function bookingsOfDoctorAt(doctorId: string, start: string) {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: 'Telehealth',
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :start)',
      ExpressionAttributeValues: { ':pk': `DOCAPPT#${doctorId}`, ':start': start },
    }),
  );
  return Items.filter((i) => i.status === 'booked');
}

/** A slot safely beyond the 2-hour cut-off (by the platform's clock), so patients may still change it. */
const laterThanCutoff = (slots: { start: string }[], skip = 0) => slots[skip]!.start;
const slotsAfterCutoff = (doctorId: string, token: string) => openSlotsOf(doctorId, token, 24 * 7, 3);

const ACTIVE = ['booked', 'checked_in', 'in_progress', 'completed'];

/** Reads the stored data: nobody in `ownerIds` holds two overlapping active appointments. */
async function expectNoOverlaps(doctorIds: string[], patientIds: string[]) {
  const owners = [
    ...doctorIds.map((id) => ({ index: 'gsi1', pk: `DOCAPPT#${id}` })),
    ...patientIds.map((id) => ({ index: 'gsi2', pk: `PATAPPT#${id}` })),
  ];
  for (const { index, pk } of owners) {
    const { Items = [] } = await db().send(
      new QueryCommand({
        TableName: 'Telehealth',
        IndexName: index,
        KeyConditionExpression: `${index}pk = :pk`,
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: false,
      }),
    );
    const active = Items.filter((i) => ACTIVE.includes(i.status)).sort((x, y) =>
      String(x.start).localeCompare(String(y.start)),
    );
    for (let i = 1; i < active.length; i++) {
      expect(Date.parse(active[i]!.start), `${pk} holds overlapping appointments`).toBeGreaterThanOrEqual(
        Date.parse(active[i - 1]!.end),
      );
    }
  }
}

describe('booking races', () => {
  it('50 patients racing for one slot: exactly one 201, 49 slot_taken, one booking stored', async () => {
    const doctor = await newDoctor();
    const patients = await registerMany(50);
    const slot = laterThanCutoff(await slotsAfterCutoff(doctor.userId, patients[0]!.token));
    const results = await Promise.all(patients.map((p) => book(p.token, doctor.userId, slot)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 201);
    expect(losers).toHaveLength(49);
    for (const loser of losers) expect([loser.status, loser.json.error.code]).toEqual([409, 'slot_taken']);
    expect(await bookingsOfDoctorAt(doctor.userId, slot)).toHaveLength(1);
    await expectNoOverlaps(
      [doctor.userId],
      patients.map((p) => p.userId),
    );
  }, 180_000);

  it('one patient booking 20 overlapping slots with 20 doctors at once: exactly one 201', async () => {
    // 10: as many booking requests as one patient may send in a minute (BOOKINGS_PER_MINUTE).
    const doctors = await Promise.all(Array.from({ length: 20 }, (_, i) => newDoctor(i % 2 ? 20 : 30)));
    const patient = await registerAndSignIn();
    // Every doctor offers the same hour on the hour (all-day availability in UTC).
    const slot = (await slotsAfterCutoff(doctors[0]!.userId, patient.token)).find((s) =>
      s.start.endsWith(':00:00.000Z'),
    )!.start;
    const results = await Promise.all(doctors.map((d) => book(patient.token, d.userId, slot)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 201))
      expect([loser.status, loser.json.error.code]).toEqual([409, 'patient_overlap']);
    await expectNoOverlaps(
      doctors.map((d) => d.userId),
      [patient.userId],
    );
  }, 120_000);

  it('the same reschedule sent twice at once: one 200, and the new time stays claimed', async () => {
    const [x, y] = [await newDoctor(), await newDoctor()];
    const [patient, other] = await registerMany(2);
    const slots = await slotsAfterCutoff(x.userId, patient!.token);
    const [s, t] = [slots[0]!.start, slots[3]!.start];
    const id = (await book(patient!.token, x.userId, s)).json.appointment.appointmentId;
    const moves = await Promise.all(
      [1, 2].map(() =>
        call('rescheduleAppointment', {
          params: { appointmentId: id },
          token: patient!.token,
          body: { start: t },
        }),
      ),
    );
    expect(moves.map((m) => m.status).sort()).toEqual([200, 409]);
    expect(moves.find((m) => m.status === 409)!.json.error.code).toBe('stale');
    const overlap = await book(patient!.token, y.userId, t);
    expect([overlap.status, overlap.json.error?.code]).toEqual([409, 'patient_overlap']);
    const taken = await book(other!.token, x.userId, t);
    expect([taken.status, taken.json.error?.code]).toEqual([409, 'slot_taken']);
    // The old time is free again for both.
    expect((await book(other!.token, x.userId, s)).status).toBe(201);
    await expectNoOverlaps([x.userId, y.userId], [patient!.userId, other!.userId]);
  }, 60_000);

  it('25 reschedules racing 25 bookings onto one slot: one winner, the others keep what they had', async () => {
    const doctor = await newDoctor();
    const patients = await registerMany(50);
    const movers = patients.slice(0, 25);
    const bookers = patients.slice(25);
    const slots = await slotsAfterCutoff(doctor.userId, patients[0]!.token);
    const target = slots[0]!.start;
    const own = await Promise.all(movers.map((p, i) => book(p.token, doctor.userId, slots[i + 1]!.start)));
    expect(own.every((r) => r.status === 201)).toBe(true);
    const results = await Promise.all([
      ...movers.map((p, i) =>
        call('rescheduleAppointment', {
          params: { appointmentId: own[i]!.json.appointment.appointmentId },
          token: p.token,
          body: { start: target },
        }),
      ),
      ...bookers.map((p) => book(p.token, doctor.userId, target)),
    ]);
    expect(results.filter((r) => r.status === 200 || r.status === 201)).toHaveLength(1);
    for (const loser of results.filter((r) => r.status >= 300))
      expect([loser.status, loser.json.error.code]).toEqual([409, 'slot_taken']);
    expect(await bookingsOfDoctorAt(doctor.userId, target)).toHaveLength(1);
    for (const [i, p] of movers.entries()) {
      const mine = await call('getAppointment', {
        params: { appointmentId: own[i]!.json.appointment.appointmentId },
        token: p.token,
      });
      const won = results[i]!.status === 200;
      expect(mine.json.appointment).toMatchObject({
        status: 'booked',
        start: won ? target : slots[i + 1]!.start,
      });
    }
    await expectNoOverlaps(
      [doctor.userId],
      patients.map((p) => p.userId),
    );
  }, 180_000);

  it('25 patients racing to reschedule into one slot: the winner’s old slot opens again', async () => {
    const doctor = await newDoctor();
    const patients = await registerMany(25);
    const slots = await slotsAfterCutoff(doctor.userId, patients[0]!.token);
    const target = slots[0]!.start;
    const own = await Promise.all(patients.map((p, i) => book(p.token, doctor.userId, slots[i + 1]!.start)));
    const results = await Promise.all(
      patients.map((p, i) =>
        call('rescheduleAppointment', {
          params: { appointmentId: own[i]!.json.appointment.appointmentId },
          token: p.token,
          body: { start: target },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const winner = results.findIndex((r) => r.status === 200);
    const reopened = await openSlotsOf(doctor.userId, patients[0]!.token);
    expect(reopened.map((s) => s.start)).toContain(slots[winner + 1]!.start);
    await expectNoOverlaps(
      [doctor.userId],
      patients.map((p) => p.userId),
    );
  }, 120_000);
});

describe('idempotent booking over HTTP', () => {
  it('the same Idempotency-Key and body, sent twice at once and again later, book once', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const slot = laterThanCutoff(await slotsAfterCutoff(doctor.userId, patient.token));
    const key = `key-${randomUUID()}`;
    const first = await Promise.all([1, 2].map(() => book(patient.token, doctor.userId, slot, 'Rash', key)));
    expect(first.map((r) => r.status)).toEqual([201, 201]);
    expect(first[1]!.json.appointment.appointmentId).toBe(first[0]!.json.appointment.appointmentId);
    const later = await book(patient.token, doctor.userId, slot, 'Rash', key);
    expect(later.status).toBe(201);
    expect(later.json.appointment.appointmentId).toBe(first[0]!.json.appointment.appointmentId);
    expect(await bookingsOfDoctorAt(doctor.userId, slot)).toHaveLength(1);

    const otherBody = await book(patient.token, doctor.userId, slot, 'Something else', key);
    expect([otherBody.status, otherBody.json.error.code]).toEqual([422, 'idempotency_key_reused']);
    const badKey = await book(patient.token, doctor.userId, slot, 'Rash', 'no spaces allowed');
    expect([badKey.status, badKey.json.error.code]).toEqual([400, 'validation_failed']);
    expect(await bookingsOfDoctorAt(doctor.userId, slot)).toHaveLength(1);
    // Without a key, the same booking again is simply a taken slot.
    expect((await book(patient.token, doctor.userId, slot, 'Rash')).json.error.code).toBe('slot_taken');
  });
});

describe('booking rules over HTTP', () => {
  let doctor: Awaited<ReturnType<typeof newDoctor>>;
  let patient: Awaited<ReturnType<typeof registerAndSignIn>>;
  beforeAll(async () => {
    doctor = await newDoctor();
    patient = await registerAndSignIn();
  });

  it('says which rule a refused slot breaks', async () => {
    const slots = await openSlotsOf(doctor.userId, patient.token);
    const now = await platformNow();
    const past = new Date(now - 3_600_000);
    past.setUTCMinutes(0, 0, 0);
    expect((await book(patient.token, doctor.userId, past.toISOString())).json.error.code).toBe('slot_past');
    const offGrid = new Date(Date.parse(slots[3]!.start) + 7 * 60_000).toISOString();
    const res = await book(patient.token, doctor.userId, offGrid);
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({
      code: 'slot_outside_availability',
      message: expect.stringContaining('does not offer'),
    });
    const far = new Date(now + 70 * 86_400_000);
    far.setUTCMinutes(0, 0, 0);
    expect((await book(patient.token, doctor.userId, far.toISOString())).json.error.code).toBe(
      'slot_beyond_horizon',
    );
  });

  it('validates input with 400s and touches nothing', async () => {
    const slot = laterThanCutoff(await slotsAfterCutoff(doctor.userId, patient.token), 5);
    const cases = [
      { doctorId: doctor.userId, start: slot, reason: 'x'.repeat(501) },
      { doctorId: doctor.userId, start: 'tomorrow', reason: 'ok' },
      { doctorId: doctor.userId, start: slot, reason: '   ' },
      { doctorId: doctor.userId, start: slot, reason: 'ok', patientId: 'someone-else' },
    ];
    for (const body of cases) {
      const res = await call('bookAppointment', { token: patient.token, body });
      expect(res.status).toBe(400);
    }
    expect(await bookingsOfDoctorAt(doctor.userId, slot)).toHaveLength(0);
    expect((await book(patient.token, 'no-such-doctor', slot)).status).toBe(404);
    const badQuery = await call('listOpenSlots', {
      params: { doctorId: doctor.userId },
      query: { from: 'yesterday', to: 'now' },
      token: patient.token,
    });
    expect(badQuery.status).toBe(400);
    const badCursor = await call('listAppointments', {
      query: { cursor: 'bm90LWEtY3Vyc29y' },
      token: patient.token,
    });
    expect(badCursor.status).toBe(400);
    expect(badCursor.json.error.code).toBe('invalid_cursor');
  });

  it('a patient may not cancel within the cut-off; the doctor may', async () => {
    const soon = (await openSlotsOf(doctor.userId, patient.token))[0]!.start;
    const booked = await book(patient.token, doctor.userId, soon);
    expect(booked.status).toBe(201);
    const id = booked.json.appointment.appointmentId;
    const byPatient = await call('cancelAppointment', {
      params: { appointmentId: id },
      token: patient.token,
      body: { reason: 'Busy' },
    });
    expect(byPatient.status).toBe(409);
    expect(byPatient.json.error.code).toBe('past_cutoff');
    const byDoctor = await call('cancelAppointment', {
      params: { appointmentId: id },
      token: doctor.token,
      body: { reason: 'Clinic closed' },
    });
    expect(byDoctor.status).toBe(200);
    expect(byDoctor.json.appointment).toMatchObject({ status: 'cancelled', cancelledBy: 'doctor' });
    const again = await call('cancelAppointment', {
      params: { appointmentId: id },
      token: doctor.token,
      body: { reason: 'Again' },
    });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('illegal_transition');
  });

  it('completing or marking a no-show before the start is a 409', async () => {
    const slot = laterThanCutoff(await slotsAfterCutoff(doctor.userId, patient.token), 8);
    const id = (await book(patient.token, doctor.userId, slot)).json.appointment.appointmentId;
    for (const action of ['completeAppointment', 'markNoShow'] as const) {
      const res = await call(action, { params: { appointmentId: id }, token: doctor.token });
      expect(res.status).toBe(409);
    }
  });
});

describe('ownership', () => {
  it('a patient cannot read, cancel, reschedule or read notes of another patient’s appointment', async () => {
    const doctor = await newDoctor();
    const [owner, stranger] = await registerMany(2);
    const slots = await slotsAfterCutoff(doctor.userId, owner!.token);
    const slot = laterThanCutoff(slots);
    const id = (await book(owner!.token, doctor.userId, slot)).json.appointment.appointmentId;
    const attempts = [
      call('getAppointment', { params: { appointmentId: id }, token: stranger!.token }),
      call('cancelAppointment', {
        params: { appointmentId: id },
        token: stranger!.token,
        body: { reason: 'mine now' },
      }),
      call('rescheduleAppointment', {
        params: { appointmentId: id },
        token: stranger!.token,
        body: { start: laterThanCutoff(slots, 2) },
      }),
      call('getVisitNotes', { params: { appointmentId: id }, token: stranger!.token }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    const mine = await call('getAppointment', { params: { appointmentId: id }, token: owner!.token });
    expect(mine.json.appointment).toMatchObject({ status: 'booked', start: slot });
    const theirList = await call('listAppointments', { token: stranger!.token });
    expect(theirList.json.items).toEqual([]);
  });

  it('a doctor sees only their own appointments and patients who booked with them', async () => {
    const [doctor, otherDoctor] = [await newDoctor(), await newDoctor()];
    const patient = await registerAndSignIn();
    const id = (
      await book(
        patient.token,
        doctor.userId,
        laterThanCutoff(await slotsAfterCutoff(doctor.userId, patient.token)),
      )
    ).json.appointment.appointmentId;
    expect(
      (await call('getAppointment', { params: { appointmentId: id }, token: otherDoctor.token })).status,
    ).toBe(404);
    expect(
      (
        await call('cancelAppointment', {
          params: { appointmentId: id },
          token: otherDoctor.token,
          body: { reason: 'x' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call('putVisitNotes', {
          params: { appointmentId: id },
          token: otherDoctor.token,
          body: { notes: 'x', summary: 'y', summaryShared: true },
        })
      ).status,
    ).toBe(404);
    expect(
      (await call('getPatient', { params: { patientId: patient.userId }, token: otherDoctor.token })).status,
    ).toBe(404);
    expect((await call('listPatients', { token: otherDoctor.token })).json.items).toEqual([]);

    const details = await call('getPatient', { params: { patientId: patient.userId }, token: doctor.token });
    expect(details.status).toBe(200);
    expect(details.json.patient).toMatchObject({ userId: patient.userId, name: patient.patient.name });
    const visits = await call('listPatientVisits', {
      params: { patientId: patient.userId },
      token: doctor.token,
    });
    expect(visits.json.items.map((a: { appointmentId: string }) => a.appointmentId)).toEqual([id]);
    expect(
      (await call('listPatientVisits', { params: { patientId: patient.userId }, token: otherDoctor.token }))
        .status,
    ).toBe(404);
    const list = await call('listPatients', { token: doctor.token });
    expect(list.json.items.map((l: { patientId: string }) => l.patientId)).toEqual([patient.userId]);
  });

  it('the patient reads the visit summary only once shared, and never the notes', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const id = (
      await book(
        patient.token,
        doctor.userId,
        laterThanCutoff(await slotsAfterCutoff(doctor.userId, patient.token)),
      )
    ).json.appointment.appointmentId;
    const notes = { notes: 'Private clinical notes', summary: 'Drink water, rest', summaryShared: false };
    expect(
      (await call('putVisitNotes', { params: { appointmentId: id }, token: doctor.token, body: notes }))
        .status,
    ).toBe(200);
    const hidden = await call('getVisitNotes', { params: { appointmentId: id }, token: patient.token });
    expect(hidden.status).toBe(404);
    expect(hidden.json.error.code).toBe('no_summary');
    await call('putVisitNotes', {
      params: { appointmentId: id },
      token: doctor.token,
      body: { ...notes, summaryShared: true },
    });
    const shared = await call('getVisitNotes', { params: { appointmentId: id }, token: patient.token });
    expect(shared.json.notes).toMatchObject({ summary: 'Drink water, rest' });
    expect(JSON.stringify(shared.json)).not.toContain('Private clinical notes');
    expect(
      (await call('getVisitNotes', { params: { appointmentId: id }, token: doctor.token })).json.notes.notes,
    ).toBe('Private clinical notes');
  });
});

describe('lists', () => {
  it('are paginated with an opaque cursor and filtered by status and date range', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const slots = await slotsAfterCutoff(doctor.userId, patient.token);
    // The cancelled one first: a patient holds at most 3 upcoming appointments at a time.
    const cancelledId = (await book(patient.token, doctor.userId, slots[3]!.start)).json.appointment
      .appointmentId as string;
    await call('cancelAppointment', {
      params: { appointmentId: cancelledId },
      token: patient.token,
      body: { reason: 'Changed my mind' },
    });
    const ids: string[] = [];
    for (const s of slots.slice(0, 3))
      ids.push((await book(patient.token, doctor.userId, s.start)).json.appointment.appointmentId);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('listAppointments', {
        query: { status: 'booked', limit: 2, cursor },
        token: patient.token,
      });
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items.map((a: { appointmentId: string }) => a.appointmentId));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const first = (await call('listAppointments', { query: { limit: 1 }, token: patient.token })).json
      .items[0];
    expect(first.changeableUntil).toBe(new Date(Date.parse(first.start) - 120 * 60_000).toISOString());

    const ranged = await call('listAppointments', {
      query: { from: slots[1]!.start, to: slots[2]!.start },
      token: doctor.token,
    });
    expect(ranged.json.items.map((a: { appointmentId: string }) => a.appointmentId)).toEqual([
      ids[1],
      ids[2],
    ]);
    const cancelled = await call('listAppointments', {
      query: { status: 'cancelled' },
      token: patient.token,
    });
    expect(cancelled.json.items.map((a: { appointmentId: string }) => a.appointmentId)).toEqual([
      cancelledId,
    ]);
    expect(
      (await call('listAppointments', { query: { status: 'bogus' }, token: patient.token })).status,
    ).toBe(400);
  });

  it('the doctor directory is searchable by name and specialty', async () => {
    const patient = await registerAndSignIn();
    const doctor = await newDoctor();
    const { profile } = await as(doctor.token).call('getMe');
    const search = (q: string) =>
      allPages((cursor) => as(patient.token).call('listDoctors', { query: { q, cursor, limit: 100 } }));
    const byName = await search(profile.name.slice(4).toUpperCase());
    expect(byName.map((d) => d.doctorId)).toContain(doctor.userId);
    expect(byName.every((d) => d.name.includes(profile.name.slice(4)))).toBe(true);
    const bySpecialty = await search('family MEDICINE');
    expect(bySpecialty.map((d) => d.doctorId)).toContain(doctor.userId);
    expect(await search('zzzz-nobody')).toEqual([]);
  });
});

describe('text messages and reminders', () => {
  const outbox = async (token: string) =>
    (await as(token).call('listOutbox', { query: { limit: 100 } })).items;

  it('booking, rescheduling and cancelling each text an opted-in patient, without the reason', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    await call('updateMe', { token: patient.token, body: { smsOptIn: true } });
    await confirmPhone(patient.token);
    const slots = await slotsAfterCutoff(doctor.userId, patient.token);
    const booked = await book(patient.token, doctor.userId, slots[0]!.start, 'Embarrassing itch');
    const id = booked.json.appointment.appointmentId;
    await call('rescheduleAppointment', {
      params: { appointmentId: id },
      token: patient.token,
      body: { start: slots[1]!.start },
    });
    await call('cancelAppointment', {
      params: { appointmentId: id },
      token: patient.token,
      body: { reason: 'Better' },
    });
    // Texts are queued; the local queue sends them a moment later.
    const mine = await eventually(async () => {
      const texts = (await outbox(patient.token)).filter((m) => m.appointmentId === id);
      return texts.length === 3 && texts.every((m) => m.status === 'sent') ? texts : undefined;
    });
    expect(mine.map((m) => m.kind).sort()).toEqual(['booked', 'cancelled', 'rescheduled']);
    expect(mine.every((m) => m.to === patient.patient.phone)).toBe(true);
    expect(JSON.stringify(mine)).not.toContain('itch');
    // Another patient sees none of these texts; the admin sees them all.
    const stranger = await registerAndSignIn();
    expect((await outbox(stranger.token)).filter((m) => m.appointmentId === id)).toEqual([]);
    const { tokenForRole } = await import('./support');
    expect((await outbox(await tokenForRole('admin'))).filter((m) => m.appointmentId === id)).toHaveLength(3);
  });

  it('a patient who opts out gets no texts', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const off = await call('updateMe', { token: patient.token, body: { smsOptIn: false } });
    expect(off.json.profile.smsOptIn).toBe(false);
    const id = (
      await book(
        patient.token,
        doctor.userId,
        laterThanCutoff(await slotsAfterCutoff(doctor.userId, patient.token)),
      )
    ).json.appointment.appointmentId;
    expect((await outbox(patient.token)).filter((m) => m.appointmentId === id)).toEqual([]);
  });

  it('booking schedules a reminder that cancelling removes, and the local scheduler sends it when due', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    await call('updateMe', { token: patient.token, body: { smsOptIn: true } });
    await confirmPhone(patient.token);
    const slots = await slotsAfterCutoff(doctor.userId, patient.token);
    const id = (await book(patient.token, doctor.userId, slots[0]!.start)).json.appointment.appointmentId;
    const reminder = await db().send(
      new GetCommand({ TableName: 'Telehealth', Key: { pk: 'REMINDERS', sk: id } }),
    );
    expect(reminder.Item?.dueAt).toBe(new Date(Date.parse(slots[0]!.start) - 30 * 60_000).toISOString());
    await call('cancelAppointment', {
      params: { appointmentId: id },
      token: patient.token,
      body: { reason: 'No longer needed' },
    });
    expect(
      (await db().send(new GetCommand({ TableName: 'Telehealth', Key: { pk: 'REMINDERS', sk: id } }))).Item,
    ).toBeUndefined();

    // The platform reminds 30 minutes ahead: move its clock there and the scheduler loop fires.
    const start = slots[1]!.start;
    const soonId = (await book(patient.token, doctor.userId, start)).json.appointment.appointmentId;
    const remindersOf = async () =>
      (await outbox(patient.token)).filter((m) => m.appointmentId === soonId && m.kind === 'reminder');
    expect(await remindersOf()).toEqual([]);
    await advanceClock(Date.parse(start) - 30 * 60_000);
    const reminders = await eventually(async () => {
      const sent = (await remindersOf()).filter((m) => m.status === 'sent');
      return sent.length ? sent : undefined;
    });
    expect(reminders).toHaveLength(1);
    expect(
      (await db().send(new GetCommand({ TableName: 'Telehealth', Key: { pk: 'REMINDERS', sk: soonId } })))
        .Item,
    ).toBeUndefined();
  });
});

describe('abuse limits on booking', () => {
  it('the 4th upcoming appointment of one patient → 409 too_many_upcoming, and nothing is booked', async () => {
    const doctor = await newDoctor();
    const { token, userId } = await registerAndSignIn();
    const slots = await slotsAfterCutoff(doctor.userId, token);
    const first = await book(token, doctor.userId, slots[0]!.start, 'Limit check', 'upcoming-limit-key-1');
    expect(first.status).toBe(201);
    for (const slot of slots.slice(1, 3))
      expect((await book(token, doctor.userId, slot.start)).status).toBe(201);
    const fourth = await book(token, doctor.userId, slots[3]!.start);
    expect(fourth.status).toBe(409);
    expect(fourth.json.error.code).toBe('too_many_upcoming');
    expect(await bookingsOfDoctorAt(doctor.userId, slots[3]!.start)).toHaveLength(0);
    const mine = await call('listAppointments', { token });
    expect(mine.json.items.filter((a: { patientId: string }) => a.patientId === userId)).toHaveLength(3);
    // A retry of an earlier booking is still answered with its appointment.
    const retry = await book(token, doctor.userId, slots[0]!.start, 'Limit check', 'upcoming-limit-key-1');
    expect(retry.status).toBe(201);
    expect(retry.json.appointment.appointmentId).toBe(first.json.appointment.appointmentId);
  });
});
