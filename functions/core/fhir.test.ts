import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Appointment, VisitNotes } from '../../shared/appointments';
import type { FhirResource } from '../../shared/fhir';
import type { ChatMessage } from '../../shared/live';
import { bundleSchemaErrors, fhirSchemaErrors, loadFhirSchema } from '../../tests/support/fhir-schema';
import {
  exportPatient,
  exportVisit,
  readFhirEncounter,
  readFhirPatient,
  type EhrExportDeps,
} from './ehr-export';
import { NotFound } from './errors';
import {
  IDENTIFIER_SYSTEM,
  patientBundle,
  toAppointment,
  toCommunication,
  toDocumentReference,
  toEncounter,
  toPatient,
  toPractitioner,
  visitBundle,
} from './fhir';
import type { DoctorPatientLink, StoredProfile } from './ports';

beforeAll(() => void loadFhirSchema(), 60_000);

const now = new Date('2026-03-01T12:00:00Z');

const visit = (overrides: Partial<Appointment> = {}): Appointment => ({
  appointmentId: '6f0c0f6e-0000-4000-8000-000000000001',
  doctorId: 'doc-1',
  patientId: 'pat-1',
  doctorName: 'Dr Ada Lovelace',
  doctorSpecialty: 'General practice',
  patientName: 'Grace Hopper',
  start: '2026-03-01T10:00:00.000Z',
  end: '2026-03-01T10:20:00.000Z',
  status: 'completed',
  reason: 'Persistent cough',
  createdAt: '2026-02-20T09:00:00.000Z',
  updatedAt: '2026-03-01T10:19:00.000Z',
  version: 4,
  ...overrides,
});

const patientProfile: StoredProfile = {
  userId: 'pat-1',
  role: 'patient',
  name: 'Grace Hopper',
  email: 'grace@example.com',
  phone: '+15555550100',
  dateOfBirth: '1980-01-01',
  createdAt: '2026-01-01T00:00:00.000Z',
};

const notes = (overrides: Partial<VisitNotes> = {}): VisitNotes => ({
  appointmentId: visit().appointmentId,
  notes: 'Private clinical impression',
  summary: 'Rest and fluids — see you in a week',
  summaryShared: true,
  updatedAt: '2026-03-01T10:25:00.000Z',
  ...overrides,
});

const message = (n: number, senderRole: 'patient' | 'doctor', appointmentId = visit().appointmentId) =>
  ({
    messageId: `7a1b2c3d-0000-4000-8000-${String(n).padStart(12, '0')}`,
    appointmentId,
    clientMessageId: `c${n}`,
    senderId: senderRole === 'patient' ? 'pat-1' : 'doc-1',
    senderRole,
    text: `message ${n}`,
    sentAt: `2026-03-01T10:0${n % 10}:00.000Z`,
  }) satisfies ChatMessage;

describe('the FHIR resources of a visit', () => {
  it('each validates against the R4 schema', () => {
    const a = visit();
    const resources: FhirResource[] = [
      toPatient(patientProfile),
      toPractitioner(a),
      toAppointment(a),
      toEncounter(a),
      toDocumentReference(a, notes()),
      toCommunication(a, message(1, 'patient')),
    ];
    for (const resource of resources) expect(fhirSchemaErrors(resource), resource.resourceType).toEqual([]);
  });

  it('the schema refuses what FHIR forbids (the check can fail)', () => {
    expect(fhirSchemaErrors({ ...toPatient(patientProfile), id: 'has_underscore' })).not.toEqual([]);
    expect(fhirSchemaErrors({ ...toAppointment(visit()), status: 'completed' })).not.toEqual([]);
    expect(fhirSchemaErrors({ ...toEncounter(visit()), unknownElement: 1 })).not.toEqual([]);
  });

  it('maps every appointment status to FHIR’s, and only visits that took place to an Encounter status', () => {
    const status = (s: Appointment['status']) => toAppointment(visit({ status: s })).status;
    expect(
      ['booked', 'checked_in', 'in_progress', 'completed', 'cancelled', 'no_show'].map((s) =>
        status(s as Appointment['status']),
      ),
    ).toEqual(['booked', 'checked-in', 'arrived', 'fulfilled', 'cancelled', 'noshow']);
    expect(toEncounter(visit()).status).toBe('finished');
    expect(toEncounter(visit({ status: 'in_progress' })).status).toBe('in-progress');
    expect(
      toAppointment(visit({ status: 'cancelled', cancelReason: 'Feeling better' })).cancelationReason,
    ).toEqual({
      text: 'Feeling better',
    });
  });

  it('identifies our records with our systems and states times as FHIR instants', () => {
    const a = toAppointment(visit({ start: '2026-03-01T10:00:00Z' }));
    expect(a.identifier).toEqual([{ system: IDENTIFIER_SYSTEM.appointment, value: visit().appointmentId }]);
    expect(a.start).toBe('2026-03-01T10:00:00.000Z');
    expect(toPatient(patientProfile).identifier).toEqual([
      { system: 'urn:telehealth:patient', value: 'pat-1' },
    ]);
  });

  it('carries the shared summary, never the private notes, and each message with its sender', () => {
    const doc = toDocumentReference(visit(), notes()) as unknown as {
      content: { attachment: { data: string } }[];
    };
    const text = Buffer.from(doc.content[0]!.attachment.data, 'base64').toString('utf8');
    expect(text).toBe('Rest and fluids — see you in a week');
    expect(JSON.stringify(doc)).not.toContain('Private');
    const fromDoctor = toCommunication(visit(), message(2, 'doctor'));
    expect(fromDoctor.sender).toMatchObject({ reference: 'Practitioner/doc-1' });
    expect(fromDoctor.recipient).toEqual([{ reference: 'Patient/pat-1', display: 'Grace Hopper' }]);
    expect(fromDoctor.payload).toEqual([{ contentString: 'message 2' }]);
  });

  it('marks an erased patient inactive', () => {
    expect(toPatient({ ...patientProfile, deletedAt: now.toISOString() }).active).toBe(false);
  });
});

describe('Bundles', () => {
  it("a visit's Bundle: the Encounter matched, its people, appointment, summary and chat included; valid R4", () => {
    const bundle = visitBundle(
      toPatient(patientProfile),
      { appointment: visit(), notes: notes(), messages: [message(1, 'patient'), message(2, 'doctor')] },
      now,
    );
    expect(bundleSchemaErrors(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ type: 'searchset', total: 1, timestamp: now.toISOString() });
    expect(bundle.entry.map((e) => `${e.resource.resourceType}:${e.search.mode}`)).toEqual([
      'Encounter:match',
      'Patient:include',
      'Practitioner:include',
      'Appointment:include',
      'DocumentReference:include',
      'Communication:include',
      'Communication:include',
    ]);
  });

  it("a patient's Bundle: each doctor once, an unshared summary left out, a booked visit only as an Appointment", () => {
    const held = visit();
    const upcoming = visit({ appointmentId: '6f0c0f6e-0000-4000-8000-000000000002', status: 'booked' });
    const bundle = patientBundle(
      toPatient(patientProfile),
      [
        { appointment: upcoming, messages: [] },
        { appointment: held, notes: notes({ summaryShared: false }), messages: [message(1, 'patient')] },
      ],
      now,
    );
    expect(bundleSchemaErrors(bundle)).toEqual([]);
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual([
      'Patient',
      'Practitioner',
      'Appointment',
      'Appointment',
      'Encounter',
      'Communication',
    ]);
  });
});

describe('who reads what', () => {
  const doctor = { userId: 'doc-1', role: 'doctor' as const };
  const otherDoctor = { userId: 'doc-2', role: 'doctor' as const };
  const admin = { userId: 'adm-1', role: 'admin' as const };
  let appointments: Appointment[];
  let links: DoctorPatientLink[];
  let chat: ChatMessage[];
  let deps: EhrExportDeps;

  beforeEach(() => {
    appointments = [
      visit(),
      visit({ appointmentId: 'a-booked', status: 'booked', start: '2026-03-05T10:00:00.000Z' }),
      visit({ appointmentId: 'a-other-doctor', doctorId: 'doc-2', doctorName: 'Dr B' }),
    ];
    links = [
      {
        doctorId: 'doc-1',
        patientId: 'pat-1',
        patientName: 'Grace Hopper',
        firstBookedAt: '',
        lastAppointmentStart: '',
      },
      {
        doctorId: 'doc-2',
        patientId: 'pat-1',
        patientName: 'Grace Hopper',
        firstBookedAt: '',
        lastAppointmentStart: '',
      },
    ];
    // More messages than one page: every page is read.
    chat = Array.from({ length: 130 }, (_, i) => message(i, i % 2 ? 'doctor' : 'patient'));
    deps = {
      clock: { now: () => now },
      profiles: { get: async (id) => (id === 'pat-1' ? patientProfile : undefined) },
      chat: {
        list: async (appointmentId, cursor, limit) => {
          const all = chat.filter((m) => m.appointmentId === appointmentId);
          const start = Number(cursor ?? 0);
          return {
            items: all.slice(start, start + limit),
            nextCursor: start + limit < all.length ? String(start + limit) : undefined,
          };
        },
      },
      appointments: {
        get: async (id) => appointments.find((a) => a.appointmentId === id),
        getDoctorPatient: async (d, p) => links.find((l) => l.doctorId === d && l.patientId === p),
        listForPatient: async (patientId, o) => ({
          items: appointments.filter(
            (a) => a.patientId === patientId && (!o.doctorId || a.doctorId === o.doctorId),
          ),
        }),
        getNotes: async (id) => (id === visit().appointmentId ? notes() : undefined),
        getNotesOf: async (ids) =>
          new Map(ids.includes(visit().appointmentId) ? [[visit().appointmentId, notes()]] : []),
      },
    };
  });

  it("a doctor reads their own patient; another doctor's patient is not found", async () => {
    expect((await readFhirPatient(doctor, 'pat-1', deps)).id).toBe('pat-1');
    await expect(readFhirPatient({ userId: 'doc-9', role: 'doctor' }, 'pat-1', deps)).rejects.toThrow(
      NotFound,
    );
    await expect(readFhirPatient(admin, 'nobody', deps)).rejects.toThrow(NotFound);
    expect((await readFhirPatient(admin, 'pat-1', deps)).id).toBe('pat-1');
  });

  it('a visit is read by its doctor or an admin, and only once it took place', async () => {
    expect((await readFhirEncounter(doctor, visit().appointmentId, deps)).patientId).toBe('pat-1');
    await expect(readFhirEncounter(otherDoctor, visit().appointmentId, deps)).rejects.toThrow(NotFound);
    await expect(readFhirEncounter(admin, 'a-booked', deps)).rejects.toMatchObject({ code: 'no_encounter' });
    const { bundle } = await exportVisit(admin, visit().appointmentId, deps);
    expect(bundle.entry.filter((e) => e.resource.resourceType === 'Communication')).toHaveLength(130);
  });

  it("a doctor's patient Bundle holds their visits only; an admin's every visit", async () => {
    const ids = async (reader: typeof doctor | typeof admin) =>
      (await exportPatient(reader, 'pat-1', deps)).entry
        .filter((e) => e.resource.resourceType === 'Appointment')
        .map((e) => e.resource.id);
    expect(await ids(doctor)).toEqual([visit().appointmentId, 'a-booked']);
    expect(await ids(admin)).toEqual([visit().appointmentId, 'a-booked', 'a-other-doctor']);
  });
});
