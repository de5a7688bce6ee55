import type { ServerFrame } from '../../shared/live';
import { formatDateTime } from './time';

export type BookingNoticeFrame = Extract<ServerFrame, { type: 'booking.notice' }>;

/** What the doctor reads about a short-notice change, in their own time words. */
export function bookingNoticeText(
  frame: BookingNoticeFrame,
  format: (iso: string) => string = formatDateTime,
): string {
  const { appointment: a } = frame;
  switch (frame.event) {
    case 'booked':
      return `New booking: ${a.patientName}, ${format(a.start)}.`;
    case 'rescheduled':
      return frame.previousStart
        ? `Moved: ${a.patientName}, from ${format(frame.previousStart)} to ${format(a.start)}.`
        : `Moved: ${a.patientName}, now ${format(a.start)}.`;
    case 'cancelled':
      return `Cancelled: ${a.patientName}, ${format(a.start)}.`;
  }
}
