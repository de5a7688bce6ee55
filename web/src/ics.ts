import type { Practice } from '../../shared/practice';
import { formatDateTimeWithZone, type Viewer } from '../../shared/time-format';

/**
 * iCalendar (RFC 5545) export of one appointment, generated in the browser. It carries the practice
 * (organizer, how to reach it), the doctor's name and the time only: never the reason for visit,
 * which would leak into calendars and syncs.
 * Downloading it again after a change replaces the old event: same UID, higher SEQUENCE.
 */

export interface CalendarAppointment {
  appointmentId: string;
  doctorName: string;
  start: string;
  end: string;
  /** Moves with every change of the appointment; becomes the event's SEQUENCE. */
  version?: number;
  status?: string;
}

/** Calendars remind this long before the start, when the waiting room opens. */
export const REMINDER_MINUTES = 15;

/** `YYYYMMDDTHHMMSSZ`, the UTC form of DATE-TIME (RFC 5545 §3.3.5). */
export function icsDateTime(instant: Date | string): string {
  return new Date(instant)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** TEXT values escape backslash, semicolon, comma and newlines (§3.3.11). */
export function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

const encoder = new TextEncoder();

/** A parameter value (§3.2): quoted, since names hold commas and colons; DQUOTE is not allowed. */
function quotedParam(value: string): string {
  return `"${value.replace(/["\r\n]/g, '')}"`;
}

/** Lines longer than 75 octets are folded with CRLF + space (§3.1), never inside a character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function appointmentIcs(
  appointment: CalendarAppointment,
  practice: Pick<Practice, 'name' | 'email' | 'phoneDisplay'>,
  options: { now?: Date; url?: string; viewer?: Viewer } = {},
): string {
  const when = formatDateTimeWithZone(appointment.start, options.viewer);
  const join = options.url
    ? `Join from this link (it opens your waiting room): ${options.url}`
    : `Join from your ${practice.name} dashboard.`;
  const contact = `Questions or changes: ${practice.name}, ${practice.phoneDisplay}, ${practice.email}.`;
  const cancelled = appointment.status === 'cancelled';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Telehealth//Appointments//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${appointment.appointmentId}@telehealth`,
    `SEQUENCE:${Math.max(0, (appointment.version ?? 1) - 1)}`,
    `DTSTAMP:${icsDateTime(options.now ?? new Date())}`,
    `DTSTART:${icsDateTime(appointment.start)}`,
    `DTEND:${icsDateTime(appointment.end)}`,
    `SUMMARY:${escapeText(`Video visit with ${appointment.doctorName}`)}`,
    `ORGANIZER;CN=${quotedParam(practice.name)}:mailto:${practice.email}`,
    `DESCRIPTION:${escapeText(`Video visit with ${appointment.doctorName}, ${when}.\n${join}\n${contact}`)}`,
    `LOCATION:${escapeText(`${practice.name} video visit${options.url ? `: ${options.url}` : ''}`)}`,
    ...(options.url ? [`URL:${options.url}`] : []),
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    ...(cancelled
      ? []
      : [
          'BEGIN:VALARM',
          'ACTION:DISPLAY',
          `TRIGGER:-PT${REMINDER_MINUTES}M`,
          `DESCRIPTION:${escapeText(`Your video visit with ${appointment.doctorName} starts in ${REMINDER_MINUTES} minutes. You can check in now.`)}`,
          'END:VALARM',
        ]),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

export function icsFileName(appointment: CalendarAppointment): string {
  return `telehealth-visit-${icsDateTime(appointment.start).slice(0, 8)}.ics`;
}

/** Hands the file to the browser as a download; nothing is stored or sent anywhere. */
export function downloadIcs(appointment: CalendarAppointment, practice: Practice): void {
  // The rejoin link: the waiting room, which checks the patient in or sends them on to the call.
  const url = `${window.location.origin}/visit/${encodeURIComponent(appointment.appointmentId)}`;
  const content = appointmentIcs(appointment, practice, { url });
  const blobUrl = URL.createObjectURL(new Blob([content], { type: 'text/calendar;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = blobUrl;
  link.download = icsFileName(appointment);
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(blobUrl), 10_000);
}
