import { describe, expect, it } from 'vitest';
import { appointmentIcs, escapeText, foldLine, icsDateTime, icsFileName } from './ics';

const appointment = {
  appointmentId: 'a1b2',
  doctorName: 'Dr. Zoë Müller-Łukasiewicz, MD; Cardiology',
  start: '2026-03-08T14:20:00.000Z',
  end: '2026-03-08T14:40:00.000Z',
};
const practice = {
  name: 'Riverside Demo Clinic',
  email: 'care@riverside-demo.example.test',
  phoneDisplay: '(212) 555-0123',
};

describe('ics export', () => {
  it('writes UTC DATE-TIMEs and a stable UID', () => {
    const text = appointmentIcs(appointment, practice, { now: new Date('2026-03-01T08:00:00Z') });
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
    const text = appointmentIcs(appointment, practice);
    expect(text.replace(/\r\n /g, '')).toContain(
      'SUMMARY:Video visit with Dr. Zoë Müller-Łukasiewicz\\, MD\\; Cardiology',
    );
  });
});

describe('ics after changes', () => {
  const url = 'https://telehealth.example/visit/a1b2';
  const unfold = (text: string) => text.replace(/\r\n /g, '');

  it('bumps SEQUENCE with the appointment version so a re-download replaces the old event', () => {
    expect(appointmentIcs({ ...appointment, version: 1 }, practice)).toContain('\r\nSEQUENCE:0\r\n');
    const moved = appointmentIcs({ ...appointment, version: 3, start: '2026-03-09T10:00:00.000Z' }, practice);
    expect(moved).toContain('\r\nSEQUENCE:2\r\n');
    expect(moved).toContain('UID:a1b2@telehealth\r\n');
    expect(moved).toContain('DTSTART:20260309T100000Z\r\n');
  });

  it('carries the rejoin link as URL and LOCATION, and a reminder when the room opens', () => {
    const text = unfold(appointmentIcs({ ...appointment, version: 2 }, practice, { url }));
    expect(text).toContain(`\r\nURL:${url}\r\n`);
    expect(text).toContain(`\r\nLOCATION:Riverside Demo Clinic video visit: ${url}\r\n`);
    const alarm = text.slice(text.indexOf('BEGIN:VALARM'), text.indexOf('END:VALARM'));
    expect(alarm).toContain('ACTION:DISPLAY\r\n');
    expect(alarm).toContain('TRIGGER:-PT15M\r\n');
    expect(alarm).toMatch(/DESCRIPTION:Your video visit with .+ starts in 15 minutes/);
    expect(text.indexOf('END:VALARM')).toBeLessThan(text.indexOf('END:VEVENT'));
  });

  it('names the time in words in the viewer’s zone, and never the reason for visit', () => {
    const text = unfold(
      appointmentIcs({ ...appointment, reason: 'Rash on left arm' } as typeof appointment, practice, {
        url,
        viewer: { locale: 'en-GB', timeZone: 'Europe/London' },
      }),
    );
    expect(text).toContain('Sun\\, 8 Mar 2026\\, 14:20 Greenwich Mean Time');
    expect(text).not.toMatch(/rash|left arm/i);
    expect(text).not.toContain('Europe/London');
  });

  it('names the practice as organizer, in the location and with its contact details', () => {
    const text = unfold(appointmentIcs(appointment, practice, { url }));
    expect(text).toContain(
      '\r\nORGANIZER;CN="Riverside Demo Clinic":mailto:care@riverside-demo.example.test\r\n',
    );
    expect(text).toContain(
      'Questions or changes: Riverside Demo Clinic\\, (212) 555-0123\\, care@riverside-demo.example.test.',
    );
    const other = unfold(appointmentIcs(appointment, { ...practice, name: 'Harbour Fixture Health' }));
    expect(other).toContain('LOCATION:Harbour Fixture Health video visit\r\n');
    expect(other).not.toContain('Riverside');
  });

  it('marks a cancelled appointment cancelled, without a reminder', () => {
    const text = appointmentIcs({ ...appointment, version: 4, status: 'cancelled' }, practice);
    expect(text).toContain('STATUS:CANCELLED\r\n');
    expect(text).toContain('SEQUENCE:3\r\n');
    expect(text).not.toContain('VALARM');
  });
});
