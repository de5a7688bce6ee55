/**
 * The visit and the patient the texting tests share (notifications, reminders, the SMS webhook,
 * no-show rescue, the Twilio adapter): a 20-minute visit with Dr. Dana Rivera, and a patient who
 * opted in with a verified number.
 */
import type { Appointment } from '../../../shared/appointments';
import type { StoredProfile } from '../ports';
import { inMemoryDeps } from './in-memory';

export const PATIENT_PHONE = '+15555550100';

export function textedAppointment(over: Partial<Appointment> = {}): Appointment {
  return {
    appointmentId: 'a-1',
    doctorId: 'd',
    patientId: 'p',
    doctorName: 'Dr. Dana Rivera',
    patientName: 'Pat Morgan',
    start: '2026-03-10T15:00:00.000Z',
    end: '2026-03-10T15:20:00.000Z',
    status: 'booked',
    version: 1,
    reason: 'Rash on left arm since Tuesday',
    patientTimeZone: 'America/New_York',
    createdAt: '',
    updatedAt: '',
    ...over,
  };
}

export function textablePatient(over: Partial<StoredProfile> = {}): StoredProfile {
  return {
    userId: 'p',
    role: 'patient',
    name: 'Pat',
    email: '',
    phone: PATIENT_PHONE,
    smsOptIn: true,
    phoneVerified: true,
    createdAt: '',
    ...over,
  };
}

/** In-memory deps at `now` holding `appointment` and its patient. */
export async function textingDeps(
  now: string,
  appointment: Appointment,
  patient: Partial<StoredProfile> = {},
) {
  const mem = inMemoryDeps({ value: new Date(now) });
  mem.appointments.set(appointment.appointmentId, appointment);
  await mem.deps.profiles.put(textablePatient(patient));
  return mem;
}
