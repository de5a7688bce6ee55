import type { Appointment } from '../../shared/appointments';
import {
  TELEHEALTH_CONSENT_VERSION,
  roomWindow,
  type DeviceCheck,
  type JoinInfo,
  type WaitingPatient,
} from '../../shared/live';
import { api } from './api';

const id = encodeURIComponent;

/** The REST calls of the waiting room and the call. */
export const liveApi = {
  appointment: (appointmentId: string) =>
    api<{ appointment: Appointment }>('GET', `/appointments/${id(appointmentId)}`).then((r) => r.appointment),
  checkIn: (appointmentId: string, deviceCheck: DeviceCheck) =>
    api<{ appointment: Appointment }>('POST', `/appointments/${id(appointmentId)}/check-in`, {
      consentVersion: TELEHEALTH_CONSENT_VERSION,
      deviceCheck,
    }).then((r) => r.appointment),
  waitingRoom: () => api<{ items: WaitingPatient[] }>('GET', '/waiting-room').then((r) => r.items),
  admit: (appointmentId: string) =>
    api<{ appointment: Appointment }>('POST', `/appointments/${id(appointmentId)}/admit`, {
      consentVersion: TELEHEALTH_CONSENT_VERSION,
    }).then((r) => r.appointment),
  runningLate: (appointmentId: string, minutes: number) =>
    api('POST', `/appointments/${id(appointmentId)}/running-late`, { minutes }),
  join: (appointmentId: string) => api<JoinInfo>('POST', `/appointments/${id(appointmentId)}/call`),
  end: (appointmentId: string) =>
    api<{ appointment: Appointment }>('POST', `/appointments/${id(appointmentId)}/end`).then(
      (r) => r.appointment,
    ),
  recordingConsent: (appointmentId: string, consent: boolean) =>
    api<{ active: boolean }>('POST', `/appointments/${id(appointmentId)}/recording-consent`, { consent }),
};

/** The waiting room opens 15 minutes before the start and closes at the end of the slot. */
export function roomOpen(appointment: Appointment, now = Date.now()): boolean {
  const { opensAt, closesAt } = roomWindow(appointment);
  return now >= opensAt && now < closesAt;
}
