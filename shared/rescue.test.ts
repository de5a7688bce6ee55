import { describe, expect, it } from 'vitest';
import { isLateJoin, noShowAllowedFrom, percentOf, rescueSteps, weekOf } from './rescue';

describe('no-show rescue rules', () => {
  it('the grace period counts from the start', () => {
    expect(noShowAllowedFrom('2030-01-07T10:00:00.000Z', 10)).toBe(Date.parse('2030-01-07T10:10:00.000Z'));
    expect(noShowAllowedFrom('2030-01-07T10:00:00.000Z', 0)).toBe(Date.parse('2030-01-07T10:00:00.000Z'));
  });

  it('a late join is a check-in more than 5 minutes after the start', () => {
    const start = '2030-01-07T10:00:00.000Z';
    expect(isLateJoin(start, '2030-01-07T09:55:00.000Z')).toBe(false);
    expect(isLateJoin(start, '2030-01-07T10:05:00.000Z')).toBe(false);
    expect(isLateJoin(start, '2030-01-07T10:05:01.000Z')).toBe(true);
  });

  it("weeks run Monday to Sunday in the practice's zone", () => {
    // Sunday 23:30 in New York is Monday 04:30 UTC: still the week before there.
    expect(weekOf(Date.parse('2030-01-14T04:30:00Z'), 'America/New_York')).toBe('2030-01-07');
    expect(weekOf(Date.parse('2030-01-14T04:30:00Z'), 'UTC')).toBe('2030-01-14');
    expect(weekOf(Date.parse('2030-01-07T05:00:00Z'), 'America/New_York')).toBe('2030-01-07');
    // Across a year end.
    expect(weekOf(Date.parse('2030-01-01T12:00:00Z'), 'UTC')).toBe('2029-12-31');
  });

  it('the steps follow the patient: texted, opened, checking devices, waiting', () => {
    const base = { appointmentId: 'a', doctorId: 'd', start: '2030-01-07T10:00:00.000Z', sends: 1 };
    expect(rescueSteps(base, 'booked')).toEqual([{ step: 'queued' }]);
    const texted = { ...base, textedAt: '2030-01-07T10:00:05.000Z' };
    expect(rescueSteps(texted, 'booked')).toEqual([{ step: 'texted', at: texted.textedAt }]);
    const opened = { ...texted, openedAt: '2030-01-07T10:01:00.000Z' };
    expect(rescueSteps(opened, 'booked').map((s) => s.step)).toEqual(['texted', 'opened', 'checking']);
    expect(rescueSteps(opened, 'checked_in').map((s) => s.step)).toEqual(['texted', 'opened', 'waiting']);
  });

  it('rates are whole percentages, none for a week without visits', () => {
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(0, 0)).toBeUndefined();
  });
});
