import { describe, expect, it } from 'vitest';
import { allPages, type DoctorSummary } from '../../shared/appointments';
import {
  advanceClock,
  as,
  book,
  call,
  newDoctor,
  newUnenrolledDoctor,
  platformNow,
  registerAndSignIn,
} from './support';
import { openSocket } from './ws-client';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function openStarts(doctorId: string, token: string, purpose: 'book' | 'reschedule', days = 2) {
  const now = await platformNow();
  const { items } = await as(token).call(
    'listOpenSlots',
    { doctorId },
    {
      query: {
        from: new Date(now).toISOString(),
        to: new Date(now + days * 24 * HOUR).toISOString(),
        purpose,
      },
    },
  );
  return items.map((s) => Date.parse(s.start));
}

/** The first 20-minute grid time at or after `t`. */
const gridAfter = (t: number) => Math.ceil(t / (20 * MINUTE)) * 20 * MINUTE;

const reschedule = (token: string, appointmentId: string, start: number) =>
  call('rescheduleAppointment', {
    params: { appointmentId },
    token,
    body: { start: new Date(start).toISOString() },
  });

describe('booking notice and change cut-off', () => {
  it('are refused with precise 409s by booking and rescheduling, and never offered by the pickers', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const now = await platformNow();

    // Booking: nothing inside the practice's 60 minutes is offered or accepted.
    const bookable = await openStarts(doctor.userId, patient.token, 'book');
    expect(bookable[0]).toBe(gridAfter(now + HOUR));
    const tooSoon = gridAfter(now + 5 * MINUTE);
    const refused = await book(patient.token, doctor.userId, new Date(tooSoon).toISOString());
    expect([refused.status, refused.json.error.code]).toEqual([409, 'too_short_notice']);
    expect(refused.json.error.message).toContain('1 hour');

    // Rescheduling: the picker offers nothing inside the 2-hour cut-off, and a move there is refused.
    const movable = await openStarts(doctor.userId, patient.token, 'reschedule');
    expect(movable[0]).toBe(gridAfter(now + 2 * HOUR));
    const start = gridAfter(now + 5 * HOUR);
    const booked = await book(patient.token, doctor.userId, new Date(start).toISOString());
    expect(booked.status).toBe(201);
    const id = booked.json.appointment.appointmentId;
    const insideCutoff = bookable.find((t) => t < now + 2 * HOUR)!;
    const moveIn = await reschedule(patient.token, id, insideCutoff);
    expect([moveIn.status, moveIn.json.error.code]).toEqual([409, 'too_short_notice']);

    // Past the appointment's own cut-off it can no longer be moved or cancelled online.
    await advanceClock(start - 2 * HOUR + MINUTE);
    const late = await reschedule(patient.token, id, start + 24 * HOUR);
    expect([late.status, late.json.error.code]).toEqual([409, 'past_cutoff']);
    expect(late.json.error.message).toContain('contact the practice');
  });

  it('follows a doctor’s own notice', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const { availability } = await as(doctor.token).call('getAvailability');
    await as(doctor.token).call('putAvailability', { ...availability, minNoticeMinutes: 240 });
    const now = await platformNow();
    expect((await openStarts(doctor.userId, patient.token, 'book'))[0]).toBe(gridAfter(now + 4 * HOUR));
    const refused = await book(
      patient.token,
      doctor.userId,
      new Date(gridAfter(now + 3 * HOUR)).toISOString(),
    );
    expect([refused.status, refused.json.error.code]).toEqual([409, 'too_short_notice']);
  });
});

describe('one-off hours and closures', () => {
  it('change the open slots of their dates only', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const now = await platformNow();
    const date = (days: number) => new Date(now + days * 24 * HOUR).toISOString().slice(0, 10);
    const { availability } = await as(doctor.token).call('getAvailability');
    await as(doctor.token).call('putAvailability', {
      ...availability,
      daysOff: [date(3)],
      dates: [{ date: date(4), ranges: [{ start: '10:00', end: '11:00' }] }],
    });
    const slotsOn = async (day: string) => {
      const { items } = await as(patient.token).call(
        'listOpenSlots',
        { doctorId: doctor.userId },
        { query: { from: `${day}T00:00:00.000Z`, to: `${day}T23:59:00.000Z` } },
      );
      return items.map((s) => s.start.slice(11, 16));
    };
    expect(await slotsOn(date(3))).toEqual([]);
    expect(await slotsOn(date(4))).toEqual(['10:00', '10:20', '10:40']);
    expect(await slotsOn(date(5))).toHaveLength(72);
    const outside = await book(patient.token, doctor.userId, `${date(4)}T12:00:00.000Z`);
    expect([outside.status, outside.json.error.code]).toEqual([409, 'slot_outside_availability']);
    expect((await book(patient.token, doctor.userId, `${date(4)}T10:20:00.000Z`)).status).toBe(201);
  });

  it('refuses a one-off date without hours or given twice with a 400 naming the field', async () => {
    const doctor = await newDoctor();
    const { availability } = await as(doctor.token).call('getAvailability');
    const empty = await call('putAvailability', {
      token: doctor.token,
      body: { ...availability, dates: [{ date: '2030-01-02', ranges: [] }] },
    });
    expect(empty.status).toBe(400);
    expect(empty.json.error.fields).toHaveProperty(['dates.0.ranges']);
    const twice = await call('putAvailability', {
      token: doctor.token,
      body: {
        ...availability,
        dates: [
          { date: '2030-01-02', ranges: [{ start: '09:00', end: '10:00' }] },
          { date: '2030-01-02', ranges: [{ start: '11:00', end: '12:00' }] },
        ],
      },
    });
    expect(twice.status).toBe(400);
  });
});

describe('the directory', () => {
  async function directory(token: string, name: string): Promise<DoctorSummary[]> {
    return allPages((cursor) => as(token).call('listDoctors', { query: { q: name, cursor, limit: 100 } }));
  }

  it('leaves out doctors without hours and gives the others’ next available time', async () => {
    const patient = await registerAndSignIn();
    const withoutHours = await newUnenrolledDoctor();
    const withHours = await newDoctor();
    const { availability } = await as(withHours.token).call('getAvailability');
    const now = await platformNow();
    // Closed today and tomorrow (UTC): the next time is on the day after.
    const day = (d: number) => new Date(now + d * 24 * HOUR).toISOString().slice(0, 10);
    await as(withHours.token).call('putAvailability', { ...availability, daysOff: [day(0), day(1)] });
    const me = await as(withHours.token).call('getMe');
    const listed = await directory(patient.token, me.profile.name);
    expect(listed.find((d) => d.doctorId === withoutHours.userId)).toBeUndefined();
    expect(listed.find((d) => d.doctorId === withHours.userId)).toMatchObject({
      nextAvailable: `${day(2)}T00:00:00.000Z`,
    });
  });
});

describe('the doctor’s notice', () => {
  it('pushes bookings, moves and cancellations within the next 24 hours to the doctor', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const dashboard = await openSocket(doctor.token);
    try {
      const now = await platformNow();
      const soon = gridAfter(now + 3 * HOUR);
      const booked = await book(patient.token, doctor.userId, new Date(soon).toISOString());
      const id = booked.json.appointment.appointmentId;
      expect(await dashboard.next((f) => f.type === 'booking.notice')).toMatchObject({
        event: 'booked',
        appointment: { appointmentId: id, start: new Date(soon).toISOString() },
      });
      const later = soon + 3 * 24 * HOUR;
      expect((await reschedule(patient.token, id, later)).status).toBe(200);
      expect(await dashboard.next((f) => f.type === 'booking.notice')).toMatchObject({
        event: 'rescheduled',
        previousStart: new Date(soon).toISOString(),
        appointment: { start: new Date(later).toISOString() },
      });
      // Days ahead, a cancellation is no short-notice news: only the usual update arrives.
      const cancelled = await call('cancelAppointment', {
        params: { appointmentId: id },
        token: patient.token,
        body: { reason: 'Better' },
      });
      expect(cancelled.status).toBe(200);
      await dashboard.next((f) => f.type === 'appointment' && f.event === 'cancelled');
      await dashboard.flush();
      expect(dashboard.frames.filter((f) => f.type === 'booking.notice')).toEqual([]);
    } finally {
      dashboard.close();
    }
  });
});
