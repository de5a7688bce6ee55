import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { book, call, newDoctor, openSlotsOf, platform, registerAndSignIn, registerMany } from './support';

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

/** A slot safely beyond the 2-hour cut-off, so patients may still change it. */
const laterThanCutoff = (slots: { start: string }[], skip = 0) =>
  slots.filter((s) => Date.parse(s.start) > Date.now() + 3 * 3_600_000)[skip]!.start;

describe('booking races', () => {
  it('25 patients racing for one slot: exactly one 201, 24 409s, one booking stored', async () => {
    const doctor = await newDoctor();
    const patients = await registerMany(25);
    const slot = laterThanCutoff(await openSlotsOf(doctor.userId, patients[0]!.token));
    const results = await Promise.all(patients.map((p) => book(p.token, doctor.userId, slot)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(24);
    for (const loser of results.filter((r) => r.status === 409))
      expect(loser.json.error.code).toBe('slot_taken');
    expect(await bookingsOfDoctorAt(doctor.userId, slot)).toHaveLength(1);
  }, 120_000);

  it('25 patients racing to reschedule into one slot: one wins, the others keep their own slot', async () => {
    const doctor = await newDoctor();
    const patients = await registerMany(25);
    const slots = (await openSlotsOf(doctor.userId, patients[0]!.token)).filter(
      (s) => Date.parse(s.start) > Date.now() + 3 * 3_600_000,
    );
    const target = slots[0]!.start;
    const own = await Promise.all(patients.map((p, i) => book(p.token, doctor.userId, slots[i + 1]!.start)));
    expect(own.every((r) => r.status === 201)).toBe(true);
    const results = await Promise.all(
      patients.map((p, i) =>
        call('POST', `/appointments/${own[i]!.json.appointment.appointmentId}/reschedule`, {
          token: p.token,
          body: { start: target },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(24);
    expect(await bookingsOfDoctorAt(doctor.userId, target)).toHaveLength(1);
    const winner = results.findIndex((r) => r.status === 200);
    for (const [i, p] of patients.entries()) {
      const mine = await call('GET', `/appointments/${own[i]!.json.appointment.appointmentId}`, {
        token: p.token,
      });
      expect(mine.json.appointment.start).toBe(i === winner ? target : slots[i + 1]!.start);
      expect(mine.json.appointment.status).toBe('booked');
    }
    // The winner's old slot is open again.
    const reopened = await openSlotsOf(doctor.userId, patients[0]!.token);
    expect(reopened.map((s) => s.start)).toContain(slots[winner + 1]!.start);
  }, 120_000);

  it('one patient booking two overlapping slots at once: one succeeds', async () => {
    const [a, b] = [await newDoctor(20), await newDoctor(30)];
    const patient = await registerAndSignIn();
    const slotA = laterThanCutoff(await openSlotsOf(a.userId, patient.token), 1);
    const slotB = (await openSlotsOf(b.userId, patient.token)).find(
      (s) => Date.parse(s.start) < Date.parse(slotA) + 20 * 60_000 && Date.parse(s.end) > Date.parse(slotA),
    )!.start;
    const results = await Promise.all([
      book(patient.token, a.userId, slotA),
      book(patient.token, b.userId, slotB),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.json.error.code).toMatch(/patient_overlap/);
  }, 60_000);
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
    const past = new Date(Date.now() - 3_600_000);
    past.setUTCMinutes(0, 0, 0);
    expect((await book(patient.token, doctor.userId, past.toISOString())).json.error.code).toBe('slot_past');
    const offGrid = new Date(Date.parse(slots[3]!.start) + 7 * 60_000).toISOString();
    const res = await book(patient.token, doctor.userId, offGrid);
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({
      code: 'slot_outside_availability',
      message: expect.stringContaining('does not offer'),
    });
    const far = new Date(Date.now() + 70 * 86_400_000);
    far.setUTCMinutes(0, 0, 0);
    expect((await book(patient.token, doctor.userId, far.toISOString())).json.error.code).toBe(
      'slot_beyond_horizon',
    );
  });

  it('validates input with 400s and touches nothing', async () => {
    const slot = laterThanCutoff(await openSlotsOf(doctor.userId, patient.token), 5);
    const cases = [
      { doctorId: doctor.userId, start: slot, reason: 'x'.repeat(501) },
      { doctorId: doctor.userId, start: 'tomorrow', reason: 'ok' },
      { doctorId: doctor.userId, start: slot, reason: '   ' },
      { doctorId: doctor.userId, start: slot, reason: 'ok', patientId: 'someone-else' },
    ];
    for (const body of cases) {
      const res = await call('POST', '/appointments', { token: patient.token, body });
      expect(res.status).toBe(400);
    }
    expect(await bookingsOfDoctorAt(doctor.userId, slot)).toHaveLength(0);
    expect((await book(patient.token, 'no-such-doctor', slot)).status).toBe(404);
    const badQuery = await call('GET', `/doctors/${doctor.userId}/slots?from=yesterday&to=now`, {
      token: patient.token,
    });
    expect(badQuery.status).toBe(400);
    const badCursor = await call('GET', '/appointments?cursor=bm90LWEtY3Vyc29y', { token: patient.token });
    expect(badCursor.status).toBe(400);
    expect(badCursor.json.error.code).toBe('invalid_cursor');
  });

  it('a patient may not cancel within the cut-off; the doctor may', async () => {
    const soon = (await openSlotsOf(doctor.userId, patient.token))[0]!.start;
    const booked = await book(patient.token, doctor.userId, soon);
    expect(booked.status).toBe(201);
    const id = booked.json.appointment.appointmentId;
    const byPatient = await call('POST', `/appointments/${id}/cancel`, {
      token: patient.token,
      body: { reason: 'Busy' },
    });
    expect(byPatient.status).toBe(409);
    expect(byPatient.json.error.code).toBe('past_cutoff');
    const byDoctor = await call('POST', `/appointments/${id}/cancel`, {
      token: doctor.token,
      body: { reason: 'Clinic closed' },
    });
    expect(byDoctor.status).toBe(200);
    expect(byDoctor.json.appointment).toMatchObject({ status: 'cancelled', cancelledBy: 'doctor' });
    const again = await call('POST', `/appointments/${id}/cancel`, {
      token: doctor.token,
      body: { reason: 'Again' },
    });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('illegal_transition');
  });

  it('completing or marking a no-show before the start is a 409', async () => {
    const slot = laterThanCutoff(await openSlotsOf(doctor.userId, patient.token), 8);
    const id = (await book(patient.token, doctor.userId, slot)).json.appointment.appointmentId;
    for (const action of ['complete', 'no-show']) {
      const res = await call('POST', `/appointments/${id}/${action}`, { token: doctor.token });
      expect(res.status).toBe(409);
    }
  });
});

describe('ownership', () => {
  it('a patient cannot read, cancel, reschedule or read notes of another patient’s appointment', async () => {
    const doctor = await newDoctor();
    const [owner, stranger] = await registerMany(2);
    const slots = await openSlotsOf(doctor.userId, owner!.token);
    const slot = laterThanCutoff(slots);
    const id = (await book(owner!.token, doctor.userId, slot)).json.appointment.appointmentId;
    const attempts = [
      call('GET', `/appointments/${id}`, { token: stranger!.token }),
      call('POST', `/appointments/${id}/cancel`, { token: stranger!.token, body: { reason: 'mine now' } }),
      call('POST', `/appointments/${id}/reschedule`, {
        token: stranger!.token,
        body: { start: laterThanCutoff(slots, 2) },
      }),
      call('GET', `/appointments/${id}/notes`, { token: stranger!.token }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    const mine = await call('GET', `/appointments/${id}`, { token: owner!.token });
    expect(mine.json.appointment).toMatchObject({ status: 'booked', start: slot });
    const theirList = await call('GET', '/appointments', { token: stranger!.token });
    expect(theirList.json.items).toEqual([]);
  });

  it('a doctor sees only their own appointments and patients who booked with them', async () => {
    const [doctor, otherDoctor] = [await newDoctor(), await newDoctor()];
    const patient = await registerAndSignIn();
    const id = (
      await book(
        patient.token,
        doctor.userId,
        laterThanCutoff(await openSlotsOf(doctor.userId, patient.token)),
      )
    ).json.appointment.appointmentId;
    expect((await call('GET', `/appointments/${id}`, { token: otherDoctor.token })).status).toBe(404);
    expect(
      (await call('POST', `/appointments/${id}/cancel`, { token: otherDoctor.token, body: { reason: 'x' } }))
        .status,
    ).toBe(404);
    expect(
      (
        await call('PUT', `/appointments/${id}/notes`, {
          token: otherDoctor.token,
          body: { notes: 'x', summary: 'y', summaryShared: true },
        })
      ).status,
    ).toBe(404);
    expect((await call('GET', `/patients/${patient.userId}`, { token: otherDoctor.token })).status).toBe(404);
    expect((await call('GET', '/patients', { token: otherDoctor.token })).json.items).toEqual([]);

    const details = await call('GET', `/patients/${patient.userId}`, { token: doctor.token });
    expect(details.status).toBe(200);
    expect(details.json.patient).toMatchObject({ userId: patient.userId, name: patient.patient.name });
    expect(details.json.appointments.map((a: { appointmentId: string }) => a.appointmentId)).toEqual([id]);
    const list = await call('GET', '/patients', { token: doctor.token });
    expect(list.json.items.map((l: { patientId: string }) => l.patientId)).toEqual([patient.userId]);
  });

  it('the patient reads the visit summary only once shared, and never the notes', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const id = (
      await book(
        patient.token,
        doctor.userId,
        laterThanCutoff(await openSlotsOf(doctor.userId, patient.token)),
      )
    ).json.appointment.appointmentId;
    const notes = { notes: 'Private clinical notes', summary: 'Drink water, rest', summaryShared: false };
    expect(
      (await call('PUT', `/appointments/${id}/notes`, { token: doctor.token, body: notes })).status,
    ).toBe(200);
    const hidden = await call('GET', `/appointments/${id}/notes`, { token: patient.token });
    expect(hidden.status).toBe(404);
    expect(hidden.json.error.code).toBe('no_summary');
    await call('PUT', `/appointments/${id}/notes`, {
      token: doctor.token,
      body: { ...notes, summaryShared: true },
    });
    const shared = await call('GET', `/appointments/${id}/notes`, { token: patient.token });
    expect(shared.json.notes).toMatchObject({ summary: 'Drink water, rest' });
    expect(JSON.stringify(shared.json)).not.toContain('Private clinical notes');
    expect((await call('GET', `/appointments/${id}/notes`, { token: doctor.token })).json.notes.notes).toBe(
      'Private clinical notes',
    );
  });
});

describe('lists', () => {
  it('are paginated with an opaque cursor and filtered by status and date range', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const slots = (await openSlotsOf(doctor.userId, patient.token)).filter(
      (s) => Date.parse(s.start) > Date.now() + 3 * 3_600_000,
    );
    const ids: string[] = [];
    for (const s of slots.slice(0, 5))
      ids.push((await book(patient.token, doctor.userId, s.start)).json.appointment.appointmentId);
    await call('POST', `/appointments/${ids[4]}/cancel`, {
      token: patient.token,
      body: { reason: 'Changed my mind' },
    });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(
        'GET',
        `/appointments?status=booked&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: patient.token },
      );
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items.map((a: { appointmentId: string }) => a.appointmentId));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids.slice(0, 4));
    const first = (await call('GET', '/appointments?limit=1', { token: patient.token })).json.items[0];
    expect(first.changeableUntil).toBe(new Date(Date.parse(first.start) - 120 * 60_000).toISOString());

    const ranged = await call('GET', `/appointments?from=${slots[1]!.start}&to=${slots[2]!.start}`, {
      token: doctor.token,
    });
    expect(ranged.json.items.map((a: { appointmentId: string }) => a.appointmentId)).toEqual([
      ids[1],
      ids[2],
    ]);
    const cancelled = await call('GET', '/appointments?status=cancelled', { token: patient.token });
    expect(cancelled.json.items.map((a: { appointmentId: string }) => a.appointmentId)).toEqual([ids[4]]);
    expect((await call('GET', '/appointments?status=bogus', { token: patient.token })).status).toBe(400);
  });

  it('the doctor directory is searchable by name and specialty', async () => {
    const patient = await registerAndSignIn();
    const all = await call('GET', '/doctors?limit=100', { token: patient.token });
    expect(all.json.items.some((d: { name: string }) => d.name === 'Dr. Dana Rivera')).toBe(true);
    const byName = await call('GET', '/doctors?q=rivera', { token: patient.token });
    expect(byName.json.items.map((d: { name: string }) => d.name)).toEqual(['Dr. Dana Rivera']);
    const bySpecialty = await call('GET', '/doctors?q=general%20practice', { token: patient.token });
    expect(bySpecialty.json.items.map((d: { name: string }) => d.name)).toContain('Dr. Dana Rivera');
    expect((await call('GET', '/doctors?q=zzzz-nobody', { token: patient.token })).json.items).toEqual([]);
  });
});

describe('text messages and reminders', () => {
  const outbox = async (token: string) =>
    (await call('GET', '/dev/outbox?limit=100', { token })).json.items as {
      to: string;
      body: string;
      kind: string;
      appointmentId: string;
    }[];

  it('booking, rescheduling and cancelling each text an opted-in patient, without the reason', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    await call('PATCH', '/me', { token: patient.token, body: { smsOptIn: true } });
    const slots = (await openSlotsOf(doctor.userId, patient.token)).filter(
      (s) => Date.parse(s.start) > Date.now() + 3 * 3_600_000,
    );
    const booked = await book(patient.token, doctor.userId, slots[0]!.start, 'Embarrassing itch');
    const id = booked.json.appointment.appointmentId;
    await call('POST', `/appointments/${id}/reschedule`, {
      token: patient.token,
      body: { start: slots[1]!.start },
    });
    await call('POST', `/appointments/${id}/cancel`, { token: patient.token, body: { reason: 'Better' } });
    const mine = (await outbox(patient.token)).filter((m) => m.appointmentId === id);
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
    const off = await call('PATCH', '/me', { token: patient.token, body: { smsOptIn: false } });
    expect(off.json.profile.smsOptIn).toBe(false);
    const id = (
      await book(
        patient.token,
        doctor.userId,
        laterThanCutoff(await openSlotsOf(doctor.userId, patient.token)),
      )
    ).json.appointment.appointmentId;
    expect((await outbox(patient.token)).filter((m) => m.appointmentId === id)).toEqual([]);
  });

  it('booking schedules a reminder that cancelling removes, and the local scheduler sends due ones', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    await call('PATCH', '/me', { token: patient.token, body: { smsOptIn: true } });
    const slots = await openSlotsOf(doctor.userId, patient.token);
    const later = laterThanCutoff(slots);
    const id = (await book(patient.token, doctor.userId, later)).json.appointment.appointmentId;
    const reminder = await db().send(
      new GetCommand({ TableName: 'Telehealth', Key: { pk: 'REMINDERS', sk: id } }),
    );
    expect(reminder.Item?.dueAt).toBe(new Date(Date.parse(later) - 30 * 60_000).toISOString());
    await call('POST', `/appointments/${id}/cancel`, {
      token: patient.token,
      body: { reason: 'No longer needed' },
    });
    expect(
      (await db().send(new GetCommand({ TableName: 'Telehealth', Key: { pk: 'REMINDERS', sk: id } }))).Item,
    ).toBeUndefined();

    // The platform reminds 30 minutes ahead; the first slot is at most 20 minutes away, so its
    // reminder is due now. Make the schedule fire, as EventBridge would.
    const soonId = (await book(patient.token, doctor.userId, slots[0]!.start)).json.appointment.appointmentId;
    await db().send(
      new PutCommand({
        TableName: 'Telehealth',
        Item: { pk: 'REMINDERS', sk: soonId, appointmentId: soonId, dueAt: new Date().toISOString() },
      }),
    );
    const deadline = Date.now() + 10_000;
    let reminders: unknown[] = [];
    while (Date.now() < deadline && reminders.length === 0) {
      await new Promise((r) => setTimeout(r, 300));
      reminders = (await outbox(patient.token)).filter(
        (m) => m.appointmentId === soonId && m.kind === 'reminder',
      );
    }
    expect(reminders).toHaveLength(1);
    expect(
      (await db().send(new GetCommand({ TableName: 'Telehealth', Key: { pk: 'REMINDERS', sk: soonId } })))
        .Item,
    ).toBeUndefined();
  });
});
