/**
 * A signed-out patient who opened a texted link (no-show rescue): their visit session opens the
 * visit's facts, its check-in and its call, as the appointment's patient, and nothing else.
 */
import type { Appointment } from '../../shared/appointments';
import type { DeviceCheck } from '../../shared/live';
import type { PatientPassVisit } from '../../shared/rescue';
import { Forbidden } from './errors';
import { visitFacts } from './guests';
import { checkIn, joinCall, type LiveDeps } from './live';
import type { AppointmentRepository } from './ports';
import type { VisitSession } from './visit-passes';

/** The appointment a patient's visit session is for; a session of any other holder never gets here. */
async function sessionAppointment(
  session: VisitSession,
  deps: { appointments: Pick<AppointmentRepository, 'get'> },
) {
  const appointment = await deps.appointments.get(session.appointmentId);
  if (!appointment || appointment.patientId !== session.holderId)
    throw new Forbidden('This visit link has ended');
  return appointment;
}

const passVisitOf = (appointment: Appointment): PatientPassVisit => ({
  visit: visitFacts(appointment, 'patient'),
  status: appointment.status,
});

/** What the signed-out patient's device check and waiting page need, and no more. */
export async function patientPassVisit(
  session: VisitSession,
  deps: { appointments: Pick<AppointmentRepository, 'get'> },
) {
  return passVisitOf(await sessionAppointment(session, deps));
}

/** The signed-out patient checks in as the appointment's patient (the same rules as signed in). */
export async function patientPassCheckIn(
  session: VisitSession,
  input: { consentVersion: string; deviceCheck: DeviceCheck },
  deps: LiveDeps,
) {
  await sessionAppointment(session, deps);
  return passVisitOf(
    await checkIn({ userId: session.holderId, role: 'patient' }, session.appointmentId, input, deps),
  );
}

/**
 * The signed-out patient joins the visit's call as the appointment's patient: the signed-in join
 * itself (admitted, room open, the patient's own grant, audited as theirs).
 */
export async function patientPassJoinCall(session: VisitSession, deps: LiveDeps) {
  await sessionAppointment(session, deps);
  return joinCall({ userId: session.holderId, role: 'patient' }, session.appointmentId, deps);
}
