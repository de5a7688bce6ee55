import {
  IDEMPOTENCY_KEY_HEADER,
  type AppointmentStatus,
  type Availability,
  type BookAppointmentRequest,
  type SlotPurpose,
  type VisitNotesRequest,
} from '../../shared/appointments';
import { client } from './api';

export type { PatientListItem } from '../../shared/appointments';
export type { AvailabilityResponse } from '../../shared/contract';

export interface AppointmentQuery {
  status?: readonly AppointmentStatus[];
  from?: string;
  to?: string;
  order?: 'asc' | 'desc';
  cursor?: string;
  limit?: number;
}

/** The REST calls of the appointment screens. */
export const appointmentsApi = {
  list: (q: AppointmentQuery) =>
    client.call('listAppointments', {
      query: {
        status: q.status?.join(','),
        from: q.from,
        to: q.to,
        order: q.order,
        cursor: q.cursor,
        limit: q.limit,
      },
    }),
  book: (body: BookAppointmentRequest, idempotencyKey: string) =>
    client
      .call('bookAppointment', body, { headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey } })
      .then((r) => r.appointment),
  cancel: (appointmentId: string, reason: string) =>
    client.call('cancelAppointment', { appointmentId }, { reason }).then((r) => r.appointment),
  reschedule: (appointmentId: string, start: string) =>
    client.call('rescheduleAppointment', { appointmentId }, { start }).then((r) => r.appointment),
  complete: (appointmentId: string) =>
    client.call('completeAppointment', { appointmentId }).then((r) => r.appointment),
  noShow: (appointmentId: string) => client.call('markNoShow', { appointmentId }).then((r) => r.appointment),
  resendLink: (appointmentId: string) =>
    client.call('resendVisitLink', { appointmentId }).then((r) => r.rescue),
  rescues: (from: string, to: string) =>
    client.call('listRescues', { query: { from, to } }).then((r) => r.items),
  rates: () => client.call('visitRates', { query: {} }),
  notes: (appointmentId: string) => client.call('getVisitNotes', { appointmentId }).then((r) => r.notes),
  saveNotes: (appointmentId: string, body: VisitNotesRequest) =>
    client.call('putVisitNotes', { appointmentId }, body).then((r) => r.notes),
  doctors: (q: string, cursor?: string) =>
    client.call('listDoctors', { query: { q: q.trim(), cursor, limit: 20 } }),
  slots: (doctorId: string, from: string, to: string, purpose: SlotPurpose = 'book') =>
    client.call('listOpenSlots', { doctorId }, { query: { from, to, purpose } }).then((r) => r.items),
  availability: () => client.call('getAvailability'),
  saveAvailability: (availability: Availability) => client.call('putAvailability', availability),
  patients: (cursor?: string) => client.call('listPatients', { query: { cursor, limit: 20 } }),
  patient: (patientId: string) => client.call('getPatient', { patientId }),
  /** A patient's visits with the calling doctor, newest first, with their notes. */
  patientVisits: (patientId: string, cursor?: string, limit = 10) =>
    client.call('listPatientVisits', { patientId }, { query: { cursor, limit } }),
  outbox: (cursor?: string) => client.call('listOutbox', { query: { cursor, limit: 50 } }),
  updateMe: (smsOptIn: boolean) => client.call('updateMe', { smsOptIn }).then((r) => r.profile),
};

export { allPages } from '../../shared/appointments';

export const errorMessage = (err: unknown, fallback = 'Something went wrong. Please try again.'): string =>
  err instanceof Error && err.message ? err.message : fallback;

/** Where a doctor writes the notes and the patient's summary of one visit. */
export const notesPath = (a: { patientId: string; appointmentId: string }) =>
  `/doctor/patients/${encodeURIComponent(a.patientId)}?visit=${encodeURIComponent(a.appointmentId)}`;
