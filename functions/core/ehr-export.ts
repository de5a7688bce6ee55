/**
 * Who may read a patient's visits as FHIR, and the reads behind the `/fhir` routes: a doctor reads
 * their own patients (as on the patient page: someone who booked with them) and only the visits
 * they held; an admin reads any patient and every visit. Anything else is "not found", as on the
 * patient page, so the answer tells nobody which records exist.
 */
import { allPages, type Appointment, type VisitNotes } from '../../shared/appointments';
import type { FhirBundle, FhirResource } from '../../shared/fhir';
import { NotFound } from './errors';
import { hasEncounter, patientBundle, toEncounter, toPatient, visitBundle, type VisitRecord } from './fhir';
import type { Identity } from './identity';
import type { AppointmentRepository, ChatRepository, Clock, ProfileRepository } from './ports';

/** Items per Query, and notes per batch read. */
const PAGE = 100;
/** Visits whose chat is read at the same time. */
const PARALLEL_VISITS = 8;

export interface EhrExportDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  appointments: Pick<
    AppointmentRepository,
    'get' | 'getDoctorPatient' | 'listForPatient' | 'getNotes' | 'getNotesOf'
  >;
  chat: Pick<ChatRepository, 'list'>;
  clock: Clock;
}

type Reader = Pick<Identity, 'userId' | 'role'>;

const PATIENT_NOT_FOUND = 'Patient not found among your patients';
const VISIT_NOT_FOUND = 'Visit not found among your visits';

/** `GET /fhir/Patient/{id}`. */
export async function readFhirPatient(reader: Reader, patientId: string, deps: EhrExportDeps) {
  if (reader.role !== 'admin' && !(await deps.appointments.getDoctorPatient(reader.userId, patientId))) {
    throw new NotFound(PATIENT_NOT_FOUND);
  }
  const profile = await deps.profiles.get(patientId);
  if (!profile || profile.role !== 'patient') throw new NotFound(PATIENT_NOT_FOUND);
  return toPatient(profile);
}

/** A visit that took place (an Encounter) and that the reader may see. */
async function readableVisit(reader: Reader, appointmentId: string, deps: EhrExportDeps) {
  const appointment = await deps.appointments.get(appointmentId);
  if (!appointment || (reader.role !== 'admin' && appointment.doctorId !== reader.userId)) {
    throw new NotFound(VISIT_NOT_FOUND);
  }
  if (!hasEncounter(appointment)) {
    throw new NotFound('This visit has not taken place: it has no encounter', 'no_encounter');
  }
  return appointment;
}

const transcript = (appointmentId: string, deps: EhrExportDeps) =>
  allPages((cursor) => deps.chat.list(appointmentId, cursor, PAGE));

/** `GET /fhir/Encounter/{id}`, with the patient it is about (for the audit). */
export async function readFhirEncounter(
  reader: Reader,
  appointmentId: string,
  deps: EhrExportDeps,
): Promise<{ encounter: FhirResource; patientId: string }> {
  const appointment = await readableVisit(reader, appointmentId, deps);
  return { encounter: toEncounter(appointment), patientId: appointment.patientId };
}

/** `GET /fhir/Encounter/{id}/$everything`: the visit with its patient, doctor, summary and chat. */
export async function exportVisit(
  reader: Reader,
  appointmentId: string,
  deps: EhrExportDeps,
): Promise<{ bundle: FhirBundle; patientId: string }> {
  const appointment = await readableVisit(reader, appointmentId, deps);
  const [patient, notes, messages] = await Promise.all([
    readFhirPatient(reader, appointment.patientId, deps),
    deps.appointments.getNotes(appointmentId),
    transcript(appointmentId, deps),
  ]);
  const bundle = visitBundle(patient, { appointment, notes, messages }, deps.clock.now());
  return { bundle, patientId: appointment.patientId };
}

/**
 * `GET /fhir/Patient/{id}/$everything`: every appointment the reader may see (a doctor: theirs),
 * newest first, and for those that took place their summary and chat.
 */
export async function exportPatient(
  reader: Reader,
  patientId: string,
  deps: EhrExportDeps,
): Promise<FhirBundle> {
  const patient = await readFhirPatient(reader, patientId, deps);
  const doctorId = reader.role === 'admin' ? undefined : reader.userId;
  const appointments = await allPages((cursor) =>
    deps.appointments.listForPatient(patientId, { doctorId, cursor, limit: PAGE, order: 'desc' }),
  );
  const held = appointments.filter(hasEncounter);
  const notes = new Map<string, VisitNotes>();
  for (let i = 0; i < held.length; i += PAGE) {
    const batch = await deps.appointments.getNotesOf(held.slice(i, i + PAGE).map((a) => a.appointmentId));
    batch.forEach((value, key) => notes.set(key, value));
  }
  const messages = new Map<string, Awaited<ReturnType<typeof transcript>>>();
  for (let i = 0; i < held.length; i += PARALLEL_VISITS) {
    const batch = held.slice(i, i + PARALLEL_VISITS);
    const read = await Promise.all(batch.map((a) => transcript(a.appointmentId, deps)));
    batch.forEach((a, j) => messages.set(a.appointmentId, read[j]!));
  }
  const visits: VisitRecord[] = appointments.map((appointment: Appointment) => ({
    appointment,
    notes: notes.get(appointment.appointmentId),
    messages: messages.get(appointment.appointmentId) ?? [],
  }));
  return patientBundle(patient, visits, deps.clock.now());
}
