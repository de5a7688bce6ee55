/**
 * A doctor's patient page: the summary in one answer, the visits (with notes) page by page, newest
 * first — for the patient's doctors only, and every read audited.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord, PatientVisit } from '../../shared/appointments';
import {
  book,
  call,
  newDoctor,
  openSlotsOf,
  platform,
  platformNow,
  registerAndSignIn,
  tokenForRole,
} from './support';
import { seedVisits } from './seed-visits';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let doctor: Awaited<ReturnType<typeof newDoctor>>;
let otherDoctor: Awaited<ReturnType<typeof newDoctor>>;
let stranger: Awaited<ReturnType<typeof newDoctor>>;
let patient: Awaited<ReturnType<typeof registerAndSignIn>>;
/** The doctor's visits with the patient, newest first: the booked one, then 24 seeded. */
let expected: string[];
let otherDoctorsVisit: string;

async function visitsPage(
  token: string,
  query: Record<string, string | number> = {},
  patientId = patient.userId,
) {
  return call('listPatientVisits', { params: { patientId }, query, token });
}

beforeAll(async () => {
  [doctor, otherDoctor, stranger] = [await newDoctor(), await newDoctor(), await newDoctor()];
  patient = await registerAndSignIn();
  const booked = await book(
    patient.token,
    doctor.userId,
    (await openSlotsOf(doctor.userId, patient.token))[0]!.start,
  );
  expect(booked.status).toBe(201);
  // Two hours later: a patient cannot be in two visits at once.
  const other = await book(
    patient.token,
    otherDoctor.userId,
    (await openSlotsOf(otherDoctor.userId, patient.token))[6]!.start,
  );
  expect(other.status).toBe(201);
  otherDoctorsVisit = other.json.appointment.appointmentId;
  const now = await platformNow();
  const names = { patient: { userId: patient.userId, name: patient.patient.name } };
  const seeded = await seedVisits(platform().dynamodbEndpoint, {
    ...names,
    doctor: { userId: doctor.userId, name: 'Dr Seed' },
    count: 24,
    before: now,
    notesEvery: 5,
  });
  // The other doctor's history with the same patient interleaves with the doctor's in the index.
  await seedVisits(platform().dynamodbEndpoint, {
    ...names,
    doctor: { userId: otherDoctor.userId, name: 'Dr Other' },
    count: 6,
    before: now - 3_600_000,
  });
  expected = [booked.json.appointment.appointmentId, ...seeded.map((v) => v.appointmentId)];
});

describe('GET /patients/{id}: the summary', () => {
  it('answers the contact details and dates without the history', async () => {
    const res = await call('getPatient', { params: { patientId: patient.userId }, token: doctor.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      patient: expect.objectContaining({ userId: patient.userId, name: patient.patient.name }),
      firstBookedAt: expect.any(String),
      lastAppointmentStart: expect.any(String),
    });
  });
});

describe('GET /patients/{id}/visits', () => {
  it('pages through every visit with the calling doctor exactly once, newest first, with notes', async () => {
    const seen: PatientVisit[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await visitsPage(doctor.token, { limit: 10, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(10);
      seen.push(...res.json.items);
      cursor = res.json.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((v) => v.appointmentId)).toEqual(expected);
    expect(new Set(seen.map((v) => v.appointmentId)).size).toBe(25);
    expect(seen.every((v) => v.doctorId === doctor.userId)).toBe(true);
    const starts = seen.map((v) => v.start);
    expect(starts).toEqual([...starts].sort().reverse());
    // Seeded visits 1, 6, 11, 16, 21 have notes (every fifth): each arrives on its own visit.
    const withNotes = seen.filter((v) => v.notes);
    expect(withNotes.map((v) => v.appointmentId)).toEqual([1, 6, 11, 16, 21].map((i) => expected[i]));
    expect(withNotes.every((v) => v.notes!.appointmentId === v.appointmentId)).toBe(true);
    expect(withNotes[0]!.notes).toMatchObject({ summary: 'Summary of visit 1', summaryShared: true });
  });

  it('shows the other doctor only their own visits', async () => {
    const res = await visitsPage(otherDoctor.token, { limit: 100 });
    expect(res.status).toBe(200);
    expect(res.json.items).toHaveLength(7);
    expect(res.json.items[0].appointmentId).toBe(otherDoctorsVisit);
    expect(res.json.items.every((v: PatientVisit) => v.doctorId === otherDoctor.userId)).toBe(true);
  });

  it('is not found for a doctor the patient never booked, and forbidden to patients', async () => {
    expect((await visitsPage(stranger.token)).status).toBe(404);
    expect(
      (await call('getPatient', { params: { patientId: patient.userId }, token: stranger.token })).status,
    ).toBe(404);
    expect((await visitsPage(patient.token)).status).toBe(403);
  });

  it('refuses another patient’s cursor, a forged one and a limit over 100 with 400', async () => {
    const first = await visitsPage(doctor.token, { limit: 2 });
    const key = JSON.parse(Buffer.from(first.json.nextCursor, 'base64url').toString());
    const anotherPatients = { ...key, gsi2pk: 'PATAPPT#someone-else' };
    for (const bad of [
      Buffer.from(JSON.stringify(anotherPatients)).toString('base64url'),
      Buffer.from('{"pk":"x"}').toString('base64url'),
      'not-a-cursor',
    ]) {
      const res = await visitsPage(doctor.token, { cursor: bad });
      expect(res.status, bad).toBe(400);
      expect(res.json.error.code).toBe('invalid_cursor');
    }
    expect((await visitsPage(doctor.token, { limit: 101 })).status).toBe(400);
  });

  it('audits each page read and the summary read, for the patient, by the doctor', async () => {
    const admin = await tokenForRole('admin');
    const res = await call('readAuditTrail', {
      token: admin,
      query: { from: day(-1), to: day(0), patientId: patient.userId, actorId: doctor.userId, limit: 100 },
    });
    expect(res.status).toBe(200);
    const items: AuditRecord[] = res.json.items;
    const reads = items.filter((e) => e.action === 'visits.read');
    // 3 pages + 1 + the refused-cursor test's first page (the refused ones were never answered).
    expect(reads.length).toBeGreaterThanOrEqual(4);
    expect(reads.every((e) => e.targetId === patient.userId && e.actorRole === 'doctor' && e.requestId)).toBe(
      true,
    );
    expect(items.filter((e) => e.action === 'patient.read')).toHaveLength(1);
    const strangers = await call('readAuditTrail', {
      token: admin,
      query: { from: day(-1), to: day(0), patientId: patient.userId, actorId: stranger.userId, limit: 100 },
    });
    expect(strangers.json.items).toEqual([]);
  });
});
