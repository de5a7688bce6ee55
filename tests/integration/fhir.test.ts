/**
 * EHR-ready visits: a visit that took place exports as FHIR R4 (a searchset Bundle per visit and per
 * patient, the Patient and the Encounter on their own), valid against HL7's schema, for the visit's
 * doctor and admins only, every read audited; failures are OperationOutcomes.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../shared/appointments';
import { FHIR_MEDIA_TYPE, fhirFileName } from '../../shared/fhir';
import { WsAction } from '../../shared/live';
import { bundleSchemaErrors, fhirSchemaErrors, loadFhirSchema } from '../support/fhir-schema';
import { openSocket } from './ws-client';
import {
  admit,
  as,
  book,
  call,
  checkedInVisit,
  newDoctor,
  openSlotsOf,
  registerAndSignIn,
  tokenForRole,
} from './support';

let visit: Awaited<ReturnType<typeof checkedInVisit>>;
let admin: string;
let otherDoctor: Awaited<ReturnType<typeof newDoctor>>;
/** Booked with the same doctor, not yet held: an Appointment without an Encounter. */
let upcomingId: string;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  loadFhirSchema();
  visit = await checkedInVisit();
  admin = await tokenForRole('admin');
  otherDoctor = await newDoctor();
  await admit(visit.doctor.token, visit.id);
  const socket = await openSocket(visit.patient.token);
  const clientMessageId = `m-${randomUUID()}`;
  socket.send({ action: WsAction.chatSend, appointmentId: visit.id, clientMessageId, text: 'Hello doctor' });
  await socket.next((f) => f.type === 'chat.ack' && f.clientMessageId === clientMessageId);
  socket.close();
  await as(visit.doctor.token).call(
    'putVisitNotes',
    { appointmentId: visit.id },
    { notes: 'Doctor-only impression 5521', summary: 'Drink fluids and rest', summaryShared: true },
  );
  const ended = await call('endVisit', { params: { appointmentId: visit.id }, token: visit.doctor.token });
  expect(ended.status).toBe(200);
  const later = (await openSlotsOf(visit.doctor.userId, visit.patient.token, 24 * 7, 2))[0]!.start;
  const booked = await book(visit.patient.token, visit.doctor.userId, later);
  expect(booked.status).toBe(201);
  upcomingId = booked.json.appointment.appointmentId;
}, 90_000);

const visitBundle = (token: string, appointmentId = visit.id) =>
  call('fhirEncounterEverything', { params: { appointmentId }, token });
const patientBundle = (token: string, patientId = visit.patient.userId) =>
  call('fhirPatientEverything', { params: { patientId }, token });

describe('a completed visit as FHIR', () => {
  it("downloads as a valid R4 Bundle for the visit's doctor: summary and chat, never the private notes", async () => {
    const res = await visitBundle(visit.doctor.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(`${FHIR_MEDIA_TYPE}; charset=utf-8`);
    const bundle = res.json;
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${fhirFileName('visit', visit.id, bundle.timestamp)}"`,
    );
    expect(bundleSchemaErrors(bundle)).toEqual([]);
    expect(bundle.type).toBe('searchset');
    const byType = (type: string) => bundle.entry.filter((e: any) => e.resource.resourceType === type);
    expect(byType('Encounter')[0].resource).toMatchObject({ id: visit.id, status: 'finished' });
    expect(byType('Appointment')[0].resource.status).toBe('fulfilled');
    expect(byType('Patient')[0].resource.id).toBe(visit.patient.userId);
    expect(byType('Practitioner')[0].resource.id).toBe(visit.doctor.userId);
    expect(byType('Communication').map((e: any) => e.resource.payload[0].contentString)).toEqual([
      'Hello doctor',
    ]);
    const summary = byType('DocumentReference')[0].resource.content[0].attachment.data;
    expect(Buffer.from(summary, 'base64').toString('utf8')).toBe('Drink fluids and rest');
    expect(res.text).not.toContain('5521');
  });

  it("the patient's Bundle holds the held visit and the booked one (as an Appointment only)", async () => {
    const res = await patientBundle(visit.doctor.token);
    expect(res.status).toBe(200);
    expect(bundleSchemaErrors(res.json)).toEqual([]);
    const appointments = res.json.entry.filter((e: any) => e.resource.resourceType === 'Appointment');
    expect(appointments.map((e: any) => [e.resource.id, e.resource.status]).sort()).toEqual(
      [
        [visit.id, 'fulfilled'],
        [upcomingId, 'booked'],
      ].sort(),
    );
    expect(res.json.entry.filter((e: any) => e.resource.resourceType === 'Encounter')).toHaveLength(1);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="fhir-patient-/);
  });

  it('answers the Patient and the Encounter on their own, and an admin the same', async () => {
    for (const token of [visit.doctor.token, admin]) {
      const patient = await call('fhirPatient', { params: { patientId: visit.patient.userId }, token });
      expect(patient.status).toBe(200);
      expect(fhirSchemaErrors(patient.json)).toEqual([]);
      const encounter = await call('fhirEncounter', { params: { appointmentId: visit.id }, token });
      expect(encounter.status).toBe(200);
      expect(fhirSchemaErrors(encounter.json)).toEqual([]);
      expect(encounter.json.subject.reference).toBe(`Patient/${visit.patient.userId}`);
    }
    expect((await visitBundle(admin)).status).toBe(200);
  });
});

describe('who may read it', () => {
  const expectOutcome = (
    res: { status: number; json: any; headers: Headers },
    status: number,
    type: string,
  ) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe(`${FHIR_MEDIA_TYPE}; charset=utf-8`);
    expect(fhirSchemaErrors(res.json)).toEqual([]);
    expect(res.json).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: type }],
    });
  };

  it('another doctor finds neither the visit nor the patient (404 OperationOutcome)', async () => {
    expectOutcome(await visitBundle(otherDoctor.token), 404, 'not-found');
    expectOutcome(await patientBundle(otherDoctor.token), 404, 'not-found');
    expectOutcome(
      await call('fhirEncounter', { params: { appointmentId: visit.id }, token: otherDoctor.token }),
      404,
      'not-found',
    );
  });

  it('patients are refused (403), the visit’s own patient included', async () => {
    const stranger = await registerAndSignIn();
    for (const token of [visit.patient.token, stranger.token]) {
      expectOutcome(await visitBundle(token), 403, 'forbidden');
      expectOutcome(await patientBundle(token), 403, 'forbidden');
    }
  });

  it('a visit not yet held has no Encounter (404); a malformed id is a 400', async () => {
    const res = await visitBundle(visit.doctor.token, upcomingId);
    expectOutcome(res, 404, 'not-found');
    expect(res.json.issue[0].details.coding[0].code).toBe('no_encounter');
    expectOutcome(await visitBundle(visit.doctor.token, 'not*an*id'), 400, 'invalid');
  });

  it('every read is audited for the patient, and refused reads are not', async () => {
    const res = await call('readAuditTrail', {
      token: admin,
      query: { from: day(-1), to: day(1), patientId: visit.patient.userId, limit: 100 },
    });
    expect(res.status).toBe(200);
    const items: AuditRecord[] = res.json.items;
    const ehr = items.filter((e) => e.action.startsWith('ehr.'));
    expect(
      ehr.filter((e) => e.action === 'ehr.exported' && e.targetId === visit.id).length,
    ).toBeGreaterThanOrEqual(2);
    expect(
      ehr.filter((e) => e.action === 'ehr.exported' && e.targetId === visit.patient.userId).length,
    ).toBeGreaterThanOrEqual(1);
    expect(ehr.filter((e) => e.action === 'ehr.read').length).toBeGreaterThanOrEqual(4);
    expect(ehr.some((e) => e.actorId === otherDoctor.userId)).toBe(false);
  });
});
