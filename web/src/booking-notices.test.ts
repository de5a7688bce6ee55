import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../shared/appointments';
import { bookingNoticeText } from './booking-notices';

const appointment = { patientName: 'Maya Patel', start: 'S2' } as Appointment;
const format = (iso: string) => `<${iso}>`;

describe('booking notice text', () => {
  it('names the patient and the times of each kind of change', () => {
    expect(bookingNoticeText({ type: 'booking.notice', event: 'booked', appointment }, format)).toBe(
      'New booking: Maya Patel, <S2>.',
    );
    expect(
      bookingNoticeText(
        { type: 'booking.notice', event: 'rescheduled', appointment, previousStart: 'S1' },
        format,
      ),
    ).toBe('Moved: Maya Patel, from <S1> to <S2>.');
    expect(bookingNoticeText({ type: 'booking.notice', event: 'cancelled', appointment }, format)).toBe(
      'Cancelled: Maya Patel, <S2>.',
    );
  });
});
