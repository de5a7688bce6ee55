import type { Profile } from '../../shared/api';
import type {
  Appointment,
  AppointmentStatus,
  Availability,
  BookAppointmentRequest,
  DoctorSummary,
  OutboxMessage,
  Page,
  PatientDetails,
  Slot,
  VisitNotes,
  VisitNotesRequest,
} from '../../shared/appointments';
import { api } from './api';
import { IDEMPOTENCY_KEY_HEADER } from '../../shared/appointments';

/** One entry of GET /patients (the doctor–patient link the API stores). */
export interface PatientListItem {
  patientId: string;
  patientName: string;
  firstBookedAt: string;
  lastAppointmentStart: string;
}

export interface AvailabilityResponse {
  availability: Availability;
  configured: boolean;
}

export interface AppointmentQuery {
  status?: readonly AppointmentStatus[];
  from?: string;
  to?: string;
  order?: 'asc' | 'desc';
  cursor?: string;
  limit?: number;
}

function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const id = encodeURIComponent;

/** The REST calls of the appointment screens, typed with the shared shapes. */
export const appointmentsApi = {
  list: (q: AppointmentQuery) =>
    api<Page<Appointment>>(
      'GET',
      `/appointments${queryString({
        status: q.status?.join(','),
        from: q.from,
        to: q.to,
        order: q.order,
        cursor: q.cursor,
        limit: q.limit,
      })}`,
    ),
  book: (body: BookAppointmentRequest, idempotencyKey: string) =>
    api<{ appointment: Appointment }>('POST', '/appointments', body, {
      [IDEMPOTENCY_KEY_HEADER]: idempotencyKey,
    }).then((r) => r.appointment),
  cancel: (appointmentId: string, reason: string) =>
    api<{ appointment: Appointment }>('POST', `/appointments/${id(appointmentId)}/cancel`, { reason }).then(
      (r) => r.appointment,
    ),
  reschedule: (appointmentId: string, start: string) =>
    api<{ appointment: Appointment }>('POST', `/appointments/${id(appointmentId)}/reschedule`, {
      start,
    }).then((r) => r.appointment),
  complete: (appointmentId: string) =>
    api<{ appointment: Appointment }>('POST', `/appointments/${id(appointmentId)}/complete`).then(
      (r) => r.appointment,
    ),
  noShow: (appointmentId: string) =>
    api<{ appointment: Appointment }>('POST', `/appointments/${id(appointmentId)}/no-show`).then(
      (r) => r.appointment,
    ),
  notes: (appointmentId: string) =>
    api<{ notes: VisitNotes }>('GET', `/appointments/${id(appointmentId)}/notes`).then((r) => r.notes),
  saveNotes: (appointmentId: string, body: VisitNotesRequest) =>
    api<{ notes: VisitNotes }>('PUT', `/appointments/${id(appointmentId)}/notes`, body).then((r) => r.notes),
  doctors: (q: string, cursor?: string) =>
    api<Page<DoctorSummary>>('GET', `/doctors${queryString({ q: q.trim(), cursor, limit: 20 })}`),
  slots: (doctorId: string, from: string, to: string) =>
    api<{ items: Slot[] }>('GET', `/doctors/${id(doctorId)}/slots${queryString({ from, to })}`).then(
      (r) => r.items,
    ),
  availability: () => api<AvailabilityResponse>('GET', '/availability'),
  saveAvailability: (availability: Availability) =>
    api<AvailabilityResponse>('PUT', '/availability', availability),
  patients: (cursor?: string) =>
    api<Page<PatientListItem>>('GET', `/patients${queryString({ cursor, limit: 20 })}`),
  patient: (patientId: string) => api<PatientDetails>('GET', `/patients/${id(patientId)}`),
  outbox: (cursor?: string) =>
    api<Page<OutboxMessage>>('GET', `/dev/outbox${queryString({ cursor, limit: 50 })}`),
  updateMe: (smsOptIn: boolean) =>
    api<{ profile: Profile }>('PATCH', '/me', { smsOptIn }).then((r) => r.profile),
};

export { allPages } from '../../shared/appointments';

export const errorMessage = (err: unknown, fallback = 'Something went wrong. Please try again.'): string =>
  err instanceof Error && err.message ? err.message : fallback;
