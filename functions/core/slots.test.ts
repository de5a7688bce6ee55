import { describe, expect, it } from 'vitest';
import type { Availability } from '../../shared/appointments';
import { gridBuckets, isoMinute, leadMinutes, openSlots, slotProblem } from './slots';
import { mergeRanges, scheduledSlots } from '../../shared/schedule';
import { addDays, localDate, offsetMinutes, zonedDay } from '../../shared/zoned-time';

const t = (iso: string) => Date.parse(iso);
const none = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

function availability(overrides: Partial<Availability> = {}): Availability {
  return {
    timeZone: 'America/New_York',
    slotMinutes: 20,
    weekly: { ...none },
    daysOff: [],
    dates: [],
    ...overrides,
  };
}

const starts = (slots: { start: string }[] | { start: number }[]) =>
  slots.map((s) => (typeof s.start === 'number' ? new Date(s.start).toISOString() : s.start));

describe('zoned time', () => {
  it('knows offsets on both sides of a daylight-saving change', () => {
    expect(offsetMinutes(t('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-300);
    expect(offsetMinutes(t('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(t('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });

  it('maps wall times to instants, with none for a skipped hour and the first for a repeated one', () => {
    expect(zonedDay('2026-03-08', 'America/New_York')(90)).toBe(t('2026-03-08T06:30:00Z'));
    expect(zonedDay('2026-03-08', 'America/New_York')(150)).toBeUndefined();
    expect(zonedDay('2026-03-08', 'America/New_York')(180)).toBe(t('2026-03-08T07:00:00Z'));
    expect(zonedDay('2026-11-01', 'America/New_York')(90)).toBe(t('2026-11-01T05:30:00Z'));
    expect(localDate(t('2026-11-02T03:00:00Z'), 'America/New_York')).toBe('2026-11-01');
  });

  it('knows the change days of Berlin and Lord Howe (a 30-minute shift)', () => {
    const berlinSpring = zonedDay('2026-03-29', 'Europe/Berlin');
    expect(berlinSpring(90)).toBe(t('2026-03-29T00:30:00Z'));
    expect(berlinSpring(150)).toBeUndefined();
    expect(berlinSpring(180)).toBe(t('2026-03-29T01:00:00Z'));
    expect(zonedDay('2026-10-25', 'Europe/Berlin')(150)).toBe(t('2026-10-25T00:30:00Z'));
    const lordHoweSpring = zonedDay('2026-10-04', 'Australia/Lord_Howe');
    expect(lordHoweSpring(115)).toBe(t('2026-10-03T15:25:00Z'));
    expect(lordHoweSpring(135)).toBeUndefined();
    expect(lordHoweSpring(150)).toBe(t('2026-10-03T15:30:00Z'));
    // 01:30-02:00 happens twice: the first time, at +11:00.
    expect(zonedDay('2026-04-05', 'Australia/Lord_Howe')(105)).toBe(t('2026-04-04T14:45:00Z'));
  });

  /**
   * The per-wall-time computation this module replaced, as an oracle: the zone's offset probed 14
   * hours either side, each candidate kept only when the zone's wall clock at it reads the wall time.
   */
  function perSlotInstant(date: string, minuteOfDay: number, timeZone: string): number | undefined {
    const wall = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * 60_000;
    const wallAt = (instant: number) => instant + offsetMinutes(instant, timeZone) * 60_000;
    const candidates = new Set(
      [wall - 14 * 3_600_000, wall, wall + 14 * 3_600_000].map(
        (p) => wall - offsetMinutes(p, timeZone) * 60_000,
      ),
    );
    return [...candidates].filter((c) => wallAt(c) === wall).sort((a, b) => a - b)[0];
  }

  /** Each local date in `year` on which the zone's offset changes, with the day before and after. */
  function changeDays(year: number, timeZone: string): string[] {
    const days: string[] = [];
    for (let day = `${year}-01-01`; day < `${year + 1}-01-01`; day = addDays(day, 1)) {
      const noon = Date.parse(`${day}T12:00:00Z`);
      if (offsetMinutes(noon, timeZone) !== offsetMinutes(noon + 86_400_000, timeZone)) {
        days.push(day, addDays(day, 1), addDays(day, 2));
      }
    }
    return days;
  }

  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'agrees with the per-slot computation on every 5 minutes around the changes of 2026 in %s',
    (timeZone) => {
      const days = [...changeDays(2026, timeZone), '2026-06-15', '2026-12-31'];
      if (timeZone !== 'Asia/Kolkata') expect(days.length).toBeGreaterThanOrEqual(8);
      for (const day of days) {
        const instantOf = zonedDay(day, timeZone);
        for (let m = 0; m < 24 * 60; m += 5) {
          expect([day, m, instantOf(m)]).toEqual([day, m, perSlotInstant(day, m, timeZone)]);
        }
      }
    },
  );
});

describe('remembered zone days', () => {
  it('keeps each zone’s day apart: the same date asked again, and in another zone', () => {
    for (let round = 0; round < 2; round++) {
      expect(zonedDay('2026-03-29', 'Europe/Berlin')(180)).toBe(t('2026-03-29T01:00:00Z'));
      expect(zonedDay('2026-03-29', 'America/New_York')(180)).toBe(t('2026-03-29T07:00:00Z'));
      expect(zonedDay('2026-03-08', 'America/New_York')(150)).toBeUndefined();
      expect(zonedDay('2026-03-08', 'Europe/Berlin')(150)).toBe(t('2026-03-08T01:30:00Z'));
    }
  });
});

describe('ISO times of slots', () => {
  it('writes exactly what toISOString writes, minutes or not, in and out of four-digit years', () => {
    const instants = [
      0,
      t('2026-03-29T00:59:00Z'),
      t('2026-12-31T23:59:00Z'),
      t('2028-02-29T12:00:00Z'),
      t('2026-05-01T10:00:30Z'),
      t('2026-05-01T10:00:00.5Z'),
      -60_000,
      Date.UTC(9999, 11, 31, 23, 59),
      Date.UTC(10_000, 0, 1),
    ];
    // Every minute of the day and every day of the year turn up over these ~4 years.
    for (let i = 0; i < 2_000; i++) instants.push(t('2024-01-01T00:00:00Z') + i * 997 * 60_000);
    for (const instant of instants) expect(isoMinute(instant)).toBe(new Date(instant).toISOString());
  });
});

describe('scheduled slots', () => {
  it('produces slots in the doctor’s time zone, stored in UTC', () => {
    const a = availability({ weekly: { ...none, wed: [{ start: '09:00', end: '10:00' }] } });
    const slots = scheduledSlots(a, t('2026-01-14T00:00:00Z'), t('2026-01-15T00:00:00Z'));
    expect(starts(slots)).toEqual([
      '2026-01-14T14:00:00.000Z',
      '2026-01-14T14:20:00.000Z',
      '2026-01-14T14:40:00.000Z',
    ]);
  });

  it('keeps 09:00 local across the spring daylight-saving change (UTC shifts by an hour)', () => {
    const a = availability({
      weekly: { ...none, fri: [{ start: '09:00', end: '09:20' }], mon: [{ start: '09:00', end: '09:20' }] },
    });
    const slots = scheduledSlots(a, t('2026-03-06T00:00:00Z'), t('2026-03-10T00:00:00Z'));
    expect(starts(slots)).toEqual(['2026-03-06T14:00:00.000Z', '2026-03-09T13:00:00.000Z']);
  });

  it('skips slots whose wall time does not exist on the change night and keeps real durations', () => {
    const a = availability({ slotMinutes: 30, weekly: { ...none, sun: [{ start: '01:00', end: '04:00' }] } });
    const slots = scheduledSlots(a, t('2026-03-08T00:00:00Z'), t('2026-03-09T00:00:00Z'));
    expect(starts(slots)).toEqual([
      '2026-03-08T06:00:00.000Z', // 01:00 EST
      '2026-03-08T06:30:00.000Z', // 01:30 EST
      '2026-03-08T07:00:00.000Z', // 03:00 EDT (02:00 and 02:30 never happen)
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
    ]);
    expect(slots.every((s) => s.end - s.start === 30 * 60_000)).toBe(true);
  });

  it('does not produce the repeated hour twice when clocks go back', () => {
    const a = availability({ slotMinutes: 30, weekly: { ...none, sun: [{ start: '01:00', end: '02:00' }] } });
    const slots = scheduledSlots(a, t('2026-11-01T00:00:00Z'), t('2026-11-02T00:00:00Z'));
    expect(starts(slots)).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-01T05:30:00.000Z']);
  });

  it('merges overlapping ranges so no slot appears twice', () => {
    expect(
      mergeRanges([
        { start: '10:00', end: '12:00' },
        { start: '09:00', end: '10:30' },
        { start: '13:00', end: '14:00' },
      ]),
    ).toEqual([
      { start: 540, end: 720 },
      { start: 780, end: 840 },
    ]);
    const a = availability({
      timeZone: 'Europe/London',
      slotMinutes: 30,
      weekly: {
        ...none,
        tue: [
          { start: '09:00', end: '10:00' },
          { start: '09:30', end: '10:30' },
        ],
      },
    });
    const slots = scheduledSlots(a, t('2026-01-13T00:00:00Z'), t('2026-01-14T00:00:00Z'));
    expect(starts(slots)).toEqual([
      '2026-01-13T09:00:00.000Z',
      '2026-01-13T09:30:00.000Z',
      '2026-01-13T10:00:00.000Z',
    ]);
  });

  it('leaves out days off, judged by the doctor’s calendar date', () => {
    const a = availability({
      timeZone: 'Asia/Kolkata',
      weekly: { ...none, thu: [{ start: '00:00', end: '00:20' }], fri: [{ start: '00:00', end: '00:20' }] },
      daysOff: ['2026-01-15'],
    });
    const slots = scheduledSlots(a, t('2026-01-14T00:00:00Z'), t('2026-01-17T00:00:00Z'));
    // Friday 00:00 IST is Thursday 18:30 UTC: the UTC date differs from the doctor's date.
    expect(starts(slots)).toEqual(['2026-01-15T18:30:00.000Z']);
  });

  it('uses a date’s one-off hours instead of its weekday’s, and a day off over both', () => {
    const weekly = {
      ...none,
      wed: [{ start: '09:00', end: '09:40' }],
      thu: [{ start: '09:00', end: '09:40' }],
    };
    const from = t('2026-01-14T00:00:00Z');
    const to = t('2026-01-16T00:00:00Z');
    const a = availability({
      weekly,
      dates: [
        { date: '2026-01-14', ranges: [{ start: '13:00', end: '13:20' }] },
        { date: '2026-01-15', ranges: [{ start: '08:00', end: '08:20' }] },
        { date: '2026-01-17', ranges: [{ start: '10:00', end: '10:20' }] },
      ],
      daysOff: ['2026-01-15'],
    });
    // Wednesday: only the one-off 13:00 EST; Thursday: closed although it has one-off hours.
    expect(starts(scheduledSlots(a, from, to))).toEqual(['2026-01-14T18:00:00.000Z']);
    // Saturday has no weekly hours but gets its one-off ones.
    expect(starts(scheduledSlots(a, t('2026-01-17T00:00:00Z'), t('2026-01-18T00:00:00Z')))).toEqual([
      '2026-01-17T15:00:00.000Z',
    ]);
  });
});

describe('open slots and booking checks', () => {
  const a = availability({ weekly: { ...none, wed: [{ start: '09:00', end: '10:00' }] } });
  const now = t('2026-01-14T14:10:00Z'); // Wednesday 09:10 in New York

  it('subtracts the past and booked time', () => {
    const slots = openSlots({
      availability: a,
      from: t('2026-01-14T00:00:00Z'),
      to: t('2026-01-15T00:00:00Z'),
      now,
      leadMinutes: 0,
      busy: [{ start: t('2026-01-14T14:40:00Z'), end: t('2026-01-14T15:00:00Z') }],
    });
    expect(starts(slots)).toEqual(['2026-01-14T14:20:00.000Z']);
  });

  it('drops exactly the slots any busy interval overlaps, given in any order and overlapping', () => {
    const week = availability({
      slotMinutes: 10,
      weekly: { ...none, wed: [{ start: '09:00', end: '12:00' }], thu: [{ start: '09:00', end: '12:00' }] },
    });
    const from = t('2026-01-14T00:00:00Z');
    const to = t('2026-01-16T00:00:00Z');
    const minute = (iso: string, m: number) => t(iso) + m * 60_000;
    const busy = [
      { start: minute('2026-01-15T14:00:00Z', 25), end: minute('2026-01-15T14:00:00Z', 35) },
      { start: minute('2026-01-14T15:00:00Z', 0), end: minute('2026-01-14T15:00:00Z', 10) },
      { start: minute('2026-01-14T14:00:00Z', 55), end: minute('2026-01-14T15:00:00Z', 40) },
      { start: minute('2026-01-14T16:00:00Z', 50), end: minute('2026-01-15T14:00:00Z', 5) },
      { start: minute('2026-01-15T14:00:00Z', 30), end: minute('2026-01-15T14:00:00Z', 31) },
    ];
    const free = openSlots({ availability: week, from, to, now: from, leadMinutes: 0, busy });
    const expected = scheduledSlots(week, from, to).filter(
      (slot) => !busy.some((b) => b.start < slot.end && slot.start < b.end),
    );
    expect(starts(free)).toEqual(starts(expected));
    expect(free.length).toBeGreaterThan(10);
    expect(free.length).toBeLessThan(scheduledSlots(week, from, to).length - 8);
  });

  it('never offers slots beyond eight weeks', () => {
    const slots = openSlots({
      availability: a,
      from: now,
      to: now + 70 * 86_400_000,
      now,
      leadMinutes: 0,
      busy: [],
    });
    // Today's 2 left, 7 full Wednesdays, and on day 56 (after the switch to EDT) 13:00-13:40Z are
    // still before now + 56 days (14:10Z); the Wednesday after is out.
    expect(slots).toHaveLength(2 + 7 * 3 + 3);
    expect(Date.parse(slots.at(-1)!.start)).toBeLessThan(now + 56 * 86_400_000);
  });

  it('says which rule a requested start breaks', () => {
    const q = {
      availability: a,
      now,
      leadMinutes: 0,
      busy: [{ start: t('2026-01-21T14:00:00Z'), end: t('2026-01-21T14:20:00Z') }],
    };
    expect(slotProblem({ ...q, start: t('2026-01-14T14:00:00Z') })).toBe('past');
    expect(slotProblem({ ...q, start: t('2026-01-14T14:05:00Z') })).toBe('past');
    expect(slotProblem({ ...q, start: t('2026-01-21T14:05:00Z') })).toBe('outside_availability');
    expect(slotProblem({ ...q, start: t('2026-01-22T14:00:00Z') })).toBe('outside_availability');
    expect(slotProblem({ ...q, start: t('2026-01-21T14:00:00Z') })).toBe('taken');
    expect(slotProblem({ ...q, start: t('2026-01-21T14:20:00Z') })).toBeUndefined();
    expect(slotProblem({ ...q, start: t('2026-06-03T13:00:00Z') })).toBe('beyond_horizon');
  });

  it('offers and accepts no start inside the lead time, and the slot at its end', () => {
    const q = { availability: a, now, leadMinutes: 30, busy: [] };
    const slots = openSlots({ ...q, from: t('2026-01-14T00:00:00Z'), to: t('2026-01-15T00:00:00Z') });
    expect(starts(slots)).toEqual(['2026-01-14T14:40:00.000Z']);
    expect(slotProblem({ ...q, start: t('2026-01-14T14:20:00Z') })).toBe('short_notice');
    expect(slotProblem({ ...q, start: t('2026-01-14T14:40:00Z') })).toBeUndefined();
    expect(slotProblem({ ...q, leadMinutes: 31, start: t('2026-01-14T14:40:00Z') })).toBe('short_notice');
  });

  it('takes the lead from the doctor, else the practice, and the cut-off too for a patient moving', () => {
    const rules = { minNoticeMinutes: 60, changeCutoffMinutes: 120 };
    expect(leadMinutes({}, rules, false)).toBe(60);
    expect(leadMinutes({}, rules, true)).toBe(120);
    expect(leadMinutes({ minNoticeMinutes: 0 }, rules, false)).toBe(0);
    expect(leadMinutes({ minNoticeMinutes: 180 }, rules, true)).toBe(180);
  });

  it('splits an interval into grid buckets so overlapping bookings share a bucket', () => {
    expect(gridBuckets({ start: t('2026-01-14T14:00:00Z'), end: t('2026-01-14T14:20:00Z') })).toEqual([
      '2026-01-14T14:00:00.000Z',
      '2026-01-14T14:05:00.000Z',
      '2026-01-14T14:10:00.000Z',
      '2026-01-14T14:15:00.000Z',
    ]);
  });
});
