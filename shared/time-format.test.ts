import { describe, expect, it } from 'vitest';
import {
  formatCalendarDate,
  formatDateTime,
  formatDateTimeWithZone,
  formatTime,
  formatTimeRange,
  zoneName,
} from './time-format';

const london = { locale: 'en-GB', timeZone: 'Europe/London' };
const newYork = { locale: 'en-US', timeZone: 'America/New_York' };
/** Intl separates parts with narrow or thin spaces depending on the ICU version. */
const plain = (s: string) => s.replace(/[\u202f\u2009\u00a0]/g, ' ');

describe('time formatting', () => {
  it('shows the viewer’s zone, not UTC', () => {
    expect(plain(formatDateTime('2026-11-30T04:00:00Z', london))).toBe('Mon, 30 Nov 2026, 4:00');
    expect(plain(formatTime('2026-11-30T04:00:00Z', newYork))).toBe('11:00 PM');
  });

  it('follows the locale’s 12- or 24-hour habit', () => {
    const instant = '2026-07-01T13:05:00Z';
    expect(plain(formatTime(instant, { locale: 'en-US', timeZone: 'UTC' }))).toBe('1:05 PM');
    expect(plain(formatTime(instant, { locale: 'en-GB', timeZone: 'UTC' }))).toBe('13:05');
    expect(plain(formatTime(instant, { locale: 'de-DE', timeZone: 'UTC' }))).toBe('13:05');
    expect(
      plain(
        formatTimeRange('2026-07-01T13:00:00Z', '2026-07-01T13:20:00Z', { locale: 'en-US', timeZone: 'UTC' }),
      ),
    ).toMatch(/^1:00 – 1:20 PM$/);
  });

  it('crosses daylight-saving changes by the zone’s rules', () => {
    // New York springs forward at 2:00 on 8 March 2026: 1:59 EST is followed by 3:00 EDT.
    expect(plain(formatTime('2026-03-08T06:59:00Z', newYork))).toBe('1:59 AM');
    expect(plain(formatTime('2026-03-08T07:00:00Z', newYork))).toBe('3:00 AM');
    expect(plain(formatDateTimeWithZone('2026-03-08T06:59:00Z', newYork))).toContain('Eastern Standard Time');
    expect(plain(formatDateTimeWithZone('2026-03-08T07:00:00Z', newYork))).toContain('Eastern Daylight Time');
    // London falls back at 2:00 BST on 25 October 2026: 1:30 happens twice, named apart.
    expect(plain(formatDateTimeWithZone('2026-10-25T00:30:00Z', london))).toMatch(
      /1:30 British Summer Time$/,
    );
    expect(plain(formatDateTimeWithZone('2026-10-25T01:30:00Z', london))).toMatch(
      /1:30 Greenwich Mean Time$/,
    );
    // A range over the change keeps its real length of wall time.
    expect(plain(formatTimeRange('2026-03-08T06:30:00Z', '2026-03-08T07:30:00Z', newYork))).toBe(
      '1:30 – 3:30 AM',
    );
  });

  it('names zones in words, never by IANA id', () => {
    expect(zoneName(newYork)).toBe('Eastern Time');
    expect(zoneName({ locale: 'en-US', timeZone: 'Europe/Berlin' })).toBe('Central European Time');
    expect(zoneName(london, { style: 'specific', at: '2026-07-01T00:00:00Z' })).toBe('British Summer Time');
    expect(zoneName(london, { style: 'specific', at: '2026-12-01T00:00:00Z' })).toBe('Greenwich Mean Time');
    // UTC has no generic name: the specific one, not "GMT+00:00".
    expect(zoneName({ locale: 'en-US', timeZone: 'UTC' })).toBe('Coordinated Universal Time');
    for (const timeZone of ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'])
      expect(zoneName({ locale: 'en-GB', timeZone })).not.toContain('/');
  });

  it('keeps calendar dates on their day in every zone', () => {
    expect(formatCalendarDate('1990-01-31', { locale: 'en-GB', timeZone: 'Pacific/Honolulu' })).toBe(
      '31 January 1990',
    );
  });
});
