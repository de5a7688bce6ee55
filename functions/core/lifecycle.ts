import type { AppointmentStatus } from '../../shared/appointments';

/** What is written down and told when an appointment changes. */
export interface LifecycleRecord {
  /** The audit trail's action. */
  audit: string;
  /** The `appointment` frame's event on both participants' dashboards. */
  event: string;
  /** The patient's text and the reminder follow this change (their push carries the same event). */
  notify?: 'booked' | 'cancelled' | 'rescheduled';
  /** Both participants' call screens also learn that the call is over. */
  endsCall?: boolean;
}

/** One command of the appointment lifecycle. */
export interface LifecycleCommand extends LifecycleRecord {
  /** Statuses the command may start from. */
  from: readonly AppointmentStatus[];
  /** The status it leads to; absent when the status stays (a move in time). */
  to?: AppointmentStatus;
  /**
   * Statuses in which it has already happened: the appointment comes back unchanged, and a
   * concurrent identical change (a double click, a second tab) is not an error.
   */
  already?: readonly AppointmentStatus[];
  /** Who may run it, besides being one of the appointment's two participants. */
  by: 'participant' | 'patient' | 'doctor';
  /** The 403 message for the other participant. */
  refusal?: string;
  /** The 409 from any other status: "A <status> appointment cannot be <verb>", or a sentence. */
  illegal: { verb: string } | { message: string };
  /** Leaving the active statuses frees the doctor's and the patient's time. */
  releasesTime?: boolean;
}

/**
 * The appointment lifecycle: every command that moves an appointment, and what each one requires,
 * writes down and tells. `changeAppointment` (appointments.ts) runs them all; the commands add only
 * their own rules (time rules, the room window) and fields.
 */
export const LIFECYCLE = {
  cancel: {
    from: ['booked'],
    to: 'cancelled',
    by: 'participant',
    illegal: { verb: 'cancelled' },
    releasesTime: true,
    audit: 'appointment.cancelled',
    event: 'cancelled',
    notify: 'cancelled',
  },
  reschedule: {
    from: ['booked'],
    by: 'patient',
    refusal: 'Only the patient can reschedule',
    illegal: { verb: 'rescheduled' },
    audit: 'appointment.rescheduled',
    event: 'rescheduled',
    notify: 'rescheduled',
  },
  complete: {
    from: ['booked', 'checked_in', 'in_progress'],
    to: 'completed',
    by: 'doctor',
    refusal: 'Only the appointment’s doctor can complete it',
    illegal: { verb: 'completed' },
    audit: 'appointment.completed',
    event: 'completed',
  },
  markNoShow: {
    from: ['booked', 'checked_in'],
    to: 'no_show',
    by: 'doctor',
    refusal: 'Only the appointment’s doctor can do this',
    illegal: { verb: 'marked as no-show' },
    releasesTime: true,
    audit: 'appointment.no_show',
    event: 'no_show',
  },
  checkIn: {
    from: ['booked'],
    to: 'checked_in',
    already: ['checked_in', 'in_progress'],
    by: 'patient',
    refusal: 'Only the patient checks in',
    illegal: { verb: 'checked in' },
    audit: 'appointment.checked_in',
    event: 'checked_in',
  },
  admit: {
    from: ['checked_in'],
    to: 'in_progress',
    already: ['in_progress'],
    by: 'doctor',
    refusal: 'Only the appointment’s doctor admits',
    illegal: { message: 'Only a checked-in patient can be admitted' },
    audit: 'appointment.admitted',
    event: 'admitted',
  },
  endVisit: {
    from: ['in_progress'],
    to: 'completed',
    already: ['completed'],
    by: 'doctor',
    refusal: 'Only the appointment’s doctor ends the visit',
    illegal: { message: 'Only a visit in progress can be ended' },
    audit: 'appointment.completed',
    event: 'completed',
    endsCall: true,
  },
} as const satisfies Record<string, LifecycleCommand>;

/** A booking creates the appointment rather than moving it, but is recorded and told the same way. */
export const BOOKING: LifecycleRecord = { audit: 'appointment.booked', event: 'booked', notify: 'booked' };
