import type { Appointment } from '../../shared/appointments';
import { CHECK_IN_OPENS_MINUTES, roomWindow } from '../../shared/live';
import { ApiError } from '../../shared/client';
import { formatShortDay, formatTime, zoneName, type Viewer } from '../../shared/time-format';

/** What the visit pages say about a failure, and whether trying again can help. */
export interface VisitProblem {
  message: string;
  /** Retrying cannot fix it: offer the way back instead of "Try again". */
  permanent: boolean;
}

const PERMANENT_CODES = new Set(['not_participant', 'room_closed', 'not_found', 'forbidden']);

/**
 * Words for a failed visit request in the viewer's time and zone. The server's own message is kept
 * for problems it words well; times are always put into words here, never taken from the server.
 */
export function visitProblem(err: unknown, appointment?: Appointment, viewer: Viewer = {}): VisitProblem {
  if (!(err instanceof ApiError)) {
    return {
      message: err instanceof Error && err.message ? err.message : 'Something went wrong. Please try again.',
      permanent: false,
    };
  }
  if (err.code === 'room_not_open') {
    if (!appointment)
      return {
        message: `The waiting room opens ${CHECK_IN_OPENS_MINUTES} minutes before the appointment.`,
        permanent: false,
      };
    const opensAt = roomWindow(appointment).opensAt;
    return {
      message:
        `Your appointment is at ${formatTime(appointment.start, viewer)} ${zoneName(viewer, { style: 'specific', at: appointment.start })}` +
        ` on ${formatShortDay(appointment.start, viewer)}. The waiting room opens ${CHECK_IN_OPENS_MINUTES}` +
        ` minutes before, at ${formatTime(opensAt, viewer)}. Come back then.`,
      permanent: false,
    };
  }
  if (err.status === 404)
    return {
      message: 'We could not find this appointment. It may have been cancelled or moved.',
      permanent: true,
    };
  if (err.code === 'not_participant')
    return { message: 'This visit belongs to another account. You cannot join it.', permanent: true };
  return { message: err.message, permanent: err.status === 403 && PERMANENT_CODES.has(err.code) };
}
