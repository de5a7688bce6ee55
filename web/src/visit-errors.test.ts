import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../shared/appointments';
import { ApiError } from '../../shared/client';
import { visitProblem } from './visit-errors';

const appointment = {
  appointmentId: 'a-1',
  start: '2026-11-30T04:00:00.000Z',
  end: '2026-11-30T04:20:00.000Z',
  status: 'booked',
} as Appointment;
const london = { locale: 'en-GB', timeZone: 'Europe/London' };

describe('visit problems', () => {
  it('says when the room opens in the viewer’s time and zone, never UTC or ISO', () => {
    const early = new ApiError(
      403,
      'room_not_open',
      'The waiting room opens at 03:45 UTC (2026-11-30T03:45:00.000Z)',
    );
    const problem = visitProblem(early, appointment, london);
    expect(problem.message.replace(/[\u202f\u00a0]/g, ' ')).toBe(
      'Your appointment is at 4:00 Greenwich Mean Time on Mon 30 Nov. The waiting room opens 15 minutes before, at 3:45. Come back then.',
    );
    expect(problem.message).not.toMatch(/UTC|\dT\d|Europe\//);
    expect(problem.permanent).toBe(false);
    const ny = visitProblem(early, appointment, { locale: 'en-US', timeZone: 'America/New_York' });
    expect(ny.message.replace(/[\u202f\u00a0]/g, ' ')).toContain(
      'at 11:00 PM Eastern Standard Time on Sun, Nov 29',
    );
  });

  it('offers no retry for problems retrying cannot fix', () => {
    expect(visitProblem(new ApiError(403, 'not_participant', 'x')).permanent).toBe(true);
    expect(visitProblem(new ApiError(404, 'not_found', 'x')).permanent).toBe(true);
    expect(visitProblem(new ApiError(403, 'room_closed', 'This appointment’s room has closed.'))).toEqual({
      message: 'This appointment’s room has closed.',
      permanent: true,
    });
    expect(visitProblem(new ApiError(503, 'unavailable', 'Busy')).permanent).toBe(false);
    expect(visitProblem(new Error('offline')).permanent).toBe(false);
  });
});
