import { describe, expect, it } from 'vitest';
import { appointmentIcs, escapeText, foldLine, icsDateTime, icsFileName } from './ics';

const appointment = {
  appointmentId: 'a1b2',
  doctorName: 'Dr. Zoë Müller-Łukasiewicz, MD; Cardiology',
  start: '2026-03-08T14:20:00.000Z',
  end: '2026-03-08T14:40:00.000Z',
};

describe('ics export', () => {
  it('writes UTC DATE-TIMEs and a stable UID', () => {
    const text = appointmentIcs(appointment, { now: new Date('2026-03-01T08:00:00Z') });
    expect(text).toContain('UID:a1b2@telehealth\r\n');
    expect(text).toContain('DTSTART:20260308T142000Z\r\n');
    expect(text).toContain('DTEND:20260308T144000Z\r\n');
    expect(text).toContain('DTSTAMP:20260301T080000Z\r\n');
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(icsFileName(appointment)).toBe('telehealth-visit-20260308.ics');
    expect(icsDateTime('2026-01-02T03:04:05.678Z')).toBe('20260102T030405Z');
  });

  it('escapes TEXT and folds long lines at 75 octets without splitting characters', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const folded = foldLine(`SUMMARY:${'é'.repeat(60)}`);
    for (const line of folded.split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'é'.repeat(60)}`);
    const text = appointmentIcs(appointment);
    expect(text.replace(/\r\n /g, '')).toContain(
      'SUMMARY:Video visit with Dr. Zoë Müller-Łukasiewicz\\, MD\\; Cardiology',
    );
  });
});
