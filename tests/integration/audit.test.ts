import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../shared/appointments';
import {
  book,
  call,
  decodePayload,
  newDoctor,
  openSlotsOf,
  registerAndSignIn,
  tokenForRole,
} from './support';

/** Audit entries carry the real time: ranges here are UTC days around the real today. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const RANGE = { from: day(-1), to: day(0) };

const REASON = 'Recurring migraines since the accident';
const NOTES = {
  notes: 'Suspected tension headache, started ibuprofen',
  summary: 'Rest',
  summaryShared: true,
};

let admin: string;
let adminId: string;
let doctor: Awaited<ReturnType<typeof newDoctor>>;
let patient: Awaited<ReturnType<typeof registerAndSignIn>>;
let appointmentId: string;

async function search(query: Record<string, string | number>) {
  return call('readAuditTrail', { query: { ...RANGE, limit: 100, ...query }, token: admin });
}

/** Every entry of a search, page by page. */
async function allPages(query: Record<string, string | number>) {
  const entries: AuditRecord[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await search({ ...query, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    entries.push(...res.json.items);
    cursor = res.json.nextCursor;
    pages += 1;
  } while (cursor);
  return { entries, pages };
}

beforeAll(async () => {
  admin = await tokenForRole('admin');
  adminId = String(decodePayload(admin).sub);
  doctor = await newDoctor();
  patient = await registerAndSignIn();
  const slot = (await openSlotsOf(doctor.userId, patient.token))[0]!.start;
  const booked = await book(patient.token, doctor.userId, slot, REASON);
  expect(booked.status).toBe(201);
  appointmentId = booked.json.appointment.appointmentId;
  const params = { appointmentId };
  expect((await call('putVisitNotes', { params, token: doctor.token, body: NOTES })).status).toBe(200);
  // The doctor's reads of this patient's data.
  expect((await call('getAppointment', { params, token: doctor.token })).status).toBe(200);
  expect((await call('getVisitNotes', { params, token: doctor.token })).status).toBe(200);
  expect((await call('listMessages', { params, token: doctor.token })).status).toBe(200);
  expect(
    (await call('getPatient', { params: { patientId: patient.userId }, token: doctor.token })).status,
  ).toBe(200);
  expect((await call('listPatients', { token: doctor.token })).status).toBe(200);
  // And the patient's own.
  expect((await call('getAppointment', { params, token: patient.token })).status).toBe(200);
});

describe('reads of patient data are audited', () => {
  it('an admin finds the doctor’s reads by patient, with who, role, record and request id', async () => {
    const res = await search({ patientId: patient.userId });
    expect(res.status).toBe(200);
    const items: AuditRecord[] = res.json.items;
    const byDoctor = (action: string) =>
      items.filter(
        (e) => e.action === action && e.actorId === doctor.userId && e.patientId === patient.userId,
      );
    for (const action of ['appointment.read', 'notes.read', 'messages.read']) {
      expect(byDoctor(action), action).toEqual([
        expect.objectContaining({
          actorRole: 'doctor',
          targetId: appointmentId,
          requestId: expect.any(String),
        }),
      ]);
    }
    expect(byDoctor('patient.read')).toEqual([expect.objectContaining({ targetId: patient.userId })]);
    expect(byDoctor('patients.listed')).toHaveLength(1);
    expect(items).toContainEqual(
      expect.objectContaining({ action: 'appointment.read', actorId: patient.userId, actorRole: 'patient' }),
    );
    // Writes are found by patient too.
    expect(items).toContainEqual(
      expect.objectContaining({
        action: 'appointment.booked',
        actorId: patient.userId,
        targetId: appointmentId,
      }),
    );
    expect(items).toContainEqual(expect.objectContaining({ action: 'notes.saved', actorId: doctor.userId }));
    const at = items.map((e) => e.at);
    expect(at).toEqual([...at].sort().reverse());
  });

  it('an admin finds them by actor, and by actor and patient together', async () => {
    const { entries } = await allPages({ actorId: doctor.userId });
    expect(entries.every((e) => e.actorId === doctor.userId)).toBe(true);
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['appointment.read', 'notes.read', 'messages.read', 'patient.read']),
    );
    const both = await search({ actorId: doctor.userId, patientId: patient.userId });
    expect(both.json.items.length).toBeGreaterThanOrEqual(5);
    expect(
      both.json.items.every(
        (e: AuditRecord) => e.actorId === doctor.userId && e.patientId === patient.userId,
      ),
    ).toBe(true);
  });

  it('finds nothing outside the range', async () => {
    const earlier = { from: day(-10), to: day(-2) };
    const filters: Record<string, string>[] = [{ patientId: patient.userId }, { actorId: doctor.userId }];
    for (const filter of filters) {
      const res = await search({ ...filter, ...earlier });
      expect(res.status).toBe(200);
      expect(res.json.items).toEqual([]);
      expect(res.json.nextCursor).toBeUndefined();
    }
  });

  it('pages through every entry exactly once, newest first', async () => {
    const whole = await search({ actorId: doctor.userId });
    const paged = await allPages({ actorId: doctor.userId, limit: 2 });
    expect(paged.pages).toBeGreaterThan(2);
    expect(paged.entries).toEqual(whole.json.items);
    // Each search by patient is itself recorded about that patient, at the head of the trail: the
    // pages still hold every earlier entry exactly once.
    const before: AuditRecord[] = (await search({ patientId: patient.userId })).json.items;
    const byPatient = (await allPages({ patientId: patient.userId, limit: 3 })).entries;
    const keys = byPatient.map((e) => JSON.stringify(e));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.slice(-before.length)).toEqual(before.map((e) => JSON.stringify(e)));

    // Without a filter the search walks the days of the range; concurrent tests keep adding entries
    // at the head, so check order and uniqueness over a few pages.
    const seen: AuditRecord[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 3; i++) {
      const res = await search({ limit: 5, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.json.items);
      cursor = res.json.nextCursor;
      expect(cursor).toBeDefined();
    }
    expect(new Set(seen.map((e) => JSON.stringify(e))).size).toBe(15);
    const at = seen.map((e) => e.at);
    expect(at).toEqual([...at].sort().reverse());
  });

  it('puts names to ids for the admin, but never emails, reasons or notes', async () => {
    const res = await search({ patientId: patient.userId });
    const text = JSON.stringify(res.json);
    expect(text).toContain(patient.patient.name);
    for (const phi of [patient.patient.email, doctor.email, REASON, NOTES.notes]) {
      expect(text).not.toContain(phi);
    }
  });

  it('audits the admin’s own searches', async () => {
    await search({ patientId: patient.userId });
    const res = await search({ actorId: adminId });
    expect(res.json.items).toContainEqual(
      expect.objectContaining({ action: 'audit.read', actorRole: 'admin', patientId: patient.userId }),
    );
  });
});

describe('the CSV export', () => {
  it('answers the same search as an attachment with a header and rows in words, without clinical data', async () => {
    const res = await call('exportAuditTrail', {
      query: { ...RANGE, patientId: patient.userId },
      token: admin,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="audit-${RANGE.from}-to-${RANGE.to}-patient-${patient.userId}.csv"`,
    );
    expect(res.headers.get('x-audit-truncated')).toBe('false');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'time,time_zone,actor,actor_role,action,subject,outcome,request_id,time_utc,action_code,actor_id,patient_id,target_id',
    );
    expect(lines.length).toBeGreaterThan(6);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `,UTC,[^,]+,Doctor,Viewed visit notes,".+'s visit with ${patient.patient.name} on [^"]+",Done,[^,]+,[^,]+,notes\\.read,${doctor.userId},${patient.userId},${appointmentId}$`,
        ),
      ),
    );
    for (const phi of [patient.patient.email, doctor.email, REASON, NOTES.notes]) {
      expect(res.text).not.toContain(phi);
    }
    const exported = await search({ actorId: adminId });
    expect(exported.json.items).toContainEqual(
      expect.objectContaining({ action: 'audit.exported', patientId: patient.userId }),
    );
  });
});

describe('bad searches and other roles', () => {
  it.each([
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
    [{ from: '2026-03-01', to: '2026-02-01' }, 'to'],
    [{ from: '2026-01-01', to: '2026-06-01' }, 'to'],
    [{ from: '2026-01-01' }, 'to'],
    [{ ...RANGE, patientId: 'not an id' }, 'patientId'],
    [{ ...RANGE, cursor: 'garbage' }, 'cursor'],
  ])('refuses %j with 400 and the field', async (query, field) => {
    const res = await call('readAuditTrail', { query, token: admin });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toHaveProperty(field);
  });

  it('refuses a cursor of another search with 400', async () => {
    const first = await search({ patientId: patient.userId, limit: 1 });
    const res = await search({ actorId: doctor.userId, cursor: first.json.nextCursor });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_cursor');
  });

  it('refuses a bad export with a JSON 400', async () => {
    const res = await call('exportAuditTrail', {
      query: { from: '2026-01-01', to: '2025-01-01' },
      token: admin,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.json.error.fields).toHaveProperty('to');
  });

  it('refuses patients and doctors with 403', async () => {
    for (const token of [patient.token, doctor.token]) {
      expect((await call('readAuditTrail', { query: RANGE, token })).status).toBe(403);
      expect((await call('exportAuditTrail', { query: RANGE, token })).status).toBe(403);
    }
  });
});
