/**
 * Visits as FHIR R4 resources for an EHR to import (docs/adr/0017-fhir-export.md): pure mapping
 * from our records to Patient, Practitioner, Appointment, Encounter, DocumentReference (the summary
 * the doctor shared) and Communication (each chat message), and the Bundles that carry them.
 * References are relative (`Patient/<id>`): they resolve against our `/fhir` base or inside a Bundle.
 */
import type { Profile } from '../../shared/api';
import type { Appointment, AppointmentStatus, VisitNotes } from '../../shared/appointments';
import type { FhirBundle, FhirReference, FhirResource } from '../../shared/fhir';
import type { ChatMessage } from '../../shared/live';

/** The systems of our identifiers: an EHR keeps them to match a later import to the same record. */
export const IDENTIFIER_SYSTEM = {
  patient: 'urn:telehealth:patient',
  practitioner: 'urn:telehealth:practitioner',
  appointment: 'urn:telehealth:appointment',
  message: 'urn:telehealth:message',
} as const;

const APPOINTMENT_STATUS: Record<AppointmentStatus, string> = {
  booked: 'booked',
  checked_in: 'checked-in',
  in_progress: 'arrived',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  no_show: 'noshow',
};

/** Only a visit that took place is an Encounter. */
const ENCOUNTER_STATUS: Partial<Record<AppointmentStatus, string>> = {
  in_progress: 'in-progress',
  completed: 'finished',
};

export const hasEncounter = (appointment: Pick<Appointment, 'status'>) =>
  ENCOUNTER_STATUS[appointment.status] !== undefined;

/** FHIR's `instant`: our ISO times already are (UTC, milliseconds, `Z`). */
const instant = (iso: string) => new Date(iso).toISOString();

const ref = (type: string, id: string, display?: string): FhirReference =>
  display ? { reference: `${type}/${id}`, display } : { reference: `${type}/${id}` };

export const patientRef = (patientId: string) => ref('Patient', patientId);
const practitionerRef = (a: Appointment) => ref('Practitioner', a.doctorId, a.doctorName);
const encounterRef = (a: Appointment) => ref('Encounter', a.appointmentId);

/** A patient's profile; an erased one (account deleted) is inactive and holds no personal data. */
export function toPatient(profile: Profile & { deletedAt?: string }): FhirResource {
  const telecom = [
    ...(profile.email ? [{ system: 'email', value: profile.email, use: 'home' }] : []),
    ...(profile.phone ? [{ system: 'phone', value: profile.phone, use: 'mobile' }] : []),
  ];
  return {
    resourceType: 'Patient',
    id: profile.userId,
    identifier: [{ system: IDENTIFIER_SYSTEM.patient, value: profile.userId }],
    active: !profile.deletedAt,
    // One name field as the patient typed it: no guess at which part is the family name.
    name: [{ text: profile.name }],
    ...(telecom.length ? { telecom } : {}),
    ...(profile.dateOfBirth ? { birthDate: profile.dateOfBirth } : {}),
  };
}

export function toPractitioner(appointment: Appointment): FhirResource {
  return {
    resourceType: 'Practitioner',
    id: appointment.doctorId,
    identifier: [{ system: IDENTIFIER_SYSTEM.practitioner, value: appointment.doctorId }],
    name: [{ text: appointment.doctorName }],
    ...(appointment.doctorSpecialty
      ? { qualification: [{ code: { text: appointment.doctorSpecialty } }] }
      : {}),
  };
}

export function toAppointment(a: Appointment): FhirResource {
  return {
    resourceType: 'Appointment',
    id: a.appointmentId,
    identifier: [{ system: IDENTIFIER_SYSTEM.appointment, value: a.appointmentId }],
    status: APPOINTMENT_STATUS[a.status],
    ...(a.status === 'cancelled' && a.cancelReason ? { cancelationReason: { text: a.cancelReason } } : {}),
    ...(a.reason ? { reasonCode: [{ text: a.reason }] } : {}),
    start: instant(a.start),
    end: instant(a.end),
    created: instant(a.createdAt),
    participant: [
      { actor: ref('Patient', a.patientId, a.patientName), status: 'accepted' },
      { actor: practitionerRef(a), status: 'accepted' },
    ],
  };
}

/** The video visit itself; the period is the booked time (we keep no separate admit/end times). */
export function toEncounter(a: Appointment): FhirResource {
  return {
    resourceType: 'Encounter',
    id: a.appointmentId,
    identifier: [{ system: IDENTIFIER_SYSTEM.appointment, value: a.appointmentId }],
    status: ENCOUNTER_STATUS[a.status] ?? 'unknown',
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'VR',
      display: 'virtual',
    },
    subject: ref('Patient', a.patientId, a.patientName),
    participant: [{ individual: practitionerRef(a) }],
    appointment: [ref('Appointment', a.appointmentId)],
    period: { start: instant(a.start), end: instant(a.end) },
    ...(a.reason ? { reasonCode: [{ text: a.reason }] } : {}),
  };
}

/** The summary the doctor shared with the patient; private notes never leave. */
export function toDocumentReference(a: Appointment, notes: VisitNotes): FhirResource {
  return {
    resourceType: 'DocumentReference',
    id: `summary-${a.appointmentId}`,
    status: 'current',
    type: {
      coding: [{ system: 'http://loinc.org', code: '34133-9', display: 'Summary of episode note' }],
    },
    subject: ref('Patient', a.patientId, a.patientName),
    date: instant(notes.updatedAt),
    author: [practitionerRef(a)],
    description: 'Visit summary shared with the patient',
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          language: 'en',
          data: Buffer.from(notes.summary, 'utf8').toString('base64'),
          title: 'Visit summary',
          creation: instant(notes.updatedAt),
        },
      },
    ],
    context: { encounter: [encounterRef(a)], period: { start: instant(a.start), end: instant(a.end) } },
  };
}

export function toCommunication(a: Appointment, message: ChatMessage): FhirResource {
  const patient = ref('Patient', a.patientId, a.patientName);
  const doctor = practitionerRef(a);
  const fromPatient = message.senderRole === 'patient';
  return {
    resourceType: 'Communication',
    id: message.messageId,
    identifier: [{ system: IDENTIFIER_SYSTEM.message, value: message.messageId }],
    status: 'completed',
    medium: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode',
            code: 'WRITTEN',
            display: 'written',
          },
        ],
      },
    ],
    subject: patient,
    encounter: encounterRef(a),
    sent: instant(message.sentAt),
    sender: fromPatient ? patient : doctor,
    recipient: [fromPatient ? doctor : patient],
    payload: [{ contentString: message.text }],
  };
}

/** One visit as we hold it: the appointment, its notes if written, its chat oldest first. */
export interface VisitRecord {
  appointment: Appointment;
  notes?: VisitNotes;
  messages: readonly ChatMessage[];
}

/** The resources of one visit: Appointment, then Encounter, summary and chat once it took place. */
export function visitResources({ appointment, notes, messages }: VisitRecord): FhirResource[] {
  if (!hasEncounter(appointment)) return [toAppointment(appointment)];
  return [
    toAppointment(appointment),
    toEncounter(appointment),
    ...(notes?.summaryShared ? [toDocumentReference(appointment, notes)] : []),
    ...messages.map((m) => toCommunication(appointment, m)),
  ];
}

/**
 * A `searchset` Bundle, as FHIR's `$everything` operations answer: the focal resource (the Patient,
 * or the visit's Encounter) is the one `match`, everything it brings along is `include`. Each
 * resource once (a Practitioner of many visits, say).
 */
export function searchBundle(
  id: string,
  focal: FhirResource,
  included: readonly FhirResource[],
  now: Date,
): FhirBundle {
  const seen = new Set([`${focal.resourceType}/${focal.id}`]);
  const rest = included.filter((r) => {
    const key = `${r.resourceType}/${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    resourceType: 'Bundle',
    id,
    type: 'searchset',
    timestamp: now.toISOString(),
    total: 1,
    entry: [
      { resource: focal, search: { mode: 'match' } },
      ...rest.map((resource) => ({ resource, search: { mode: 'include' as const } })),
    ],
  };
}

/** Every visit of a patient with the people in it: `Patient/{id}/$everything`. */
export function patientBundle(patient: FhirResource, visits: readonly VisitRecord[], now: Date): FhirBundle {
  const included = visits.flatMap((v) => [toPractitioner(v.appointment), ...visitResources(v)]);
  return searchBundle(`patient-${patient.id}`, patient, included, now);
}

/** One visit that took place with its patient and doctor: `Encounter/{id}/$everything`. */
export function visitBundle(patient: FhirResource, visit: VisitRecord, now: Date): FhirBundle {
  const [appointment, encounter, ...rest] = visitResources(visit);
  return searchBundle(
    `encounter-${visit.appointment.appointmentId}`,
    encounter!,
    [patient, toPractitioner(visit.appointment), appointment!, ...rest],
    now,
  );
}
