import type { Appointment } from '../../shared/appointments';
import { TELEHEALTH_CONSENT_VERSION, roomWindow, type DeviceCheck } from '../../shared/live';
import { client } from './api';

/** The REST calls of the waiting room and the call. */
export const liveApi = {
  appointment: (appointmentId: string) =>
    client.call('getAppointment', { appointmentId }).then((r) => r.appointment),
  checkIn: (appointmentId: string, deviceCheck: DeviceCheck) =>
    client
      .call('checkIn', { appointmentId }, { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck })
      .then((r) => r.appointment),
  waitingRoom: () => client.call('waitingRoom').then((r) => r.items),
  admit: (appointmentId: string) =>
    client
      .call('admitPatient', { appointmentId }, { consentVersion: TELEHEALTH_CONSENT_VERSION })
      .then((r) => r.appointment),
  runningLate: (appointmentId: string, minutes: number) =>
    client.call('runningLate', { appointmentId }, { minutes }),
  join: (appointmentId: string) => client.call('joinCall', { appointmentId }),
  end: (appointmentId: string) => client.call('endVisit', { appointmentId }).then((r) => r.appointment),
  recordingConsent: (appointmentId: string, consent: boolean) =>
    client.call('recordingConsent', { appointmentId }, { consent }),
};

/** The waiting room opens 15 minutes before the start and closes at the end of the slot. */
export function roomOpen(appointment: Appointment, now = Date.now()): boolean {
  const { opensAt, closesAt } = roomWindow(appointment);
  return now >= opensAt && now < closesAt;
}
