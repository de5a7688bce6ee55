import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../shared/appointments';
import { sendReminder, smsText } from './notifications';
import { inMemoryDeps } from './testing/in-memory';

const appointment: Appointment = {
  appointmentId: 'a-1',
  doctorId: 'd',
  patientId: 'p',
  doctorName: 'Dr. Dana Rivera',
  patientName: 'Pat Morgan',
  start: '2026-03-10T15:00:00.000Z',
  end: '2026-03-10T15:20:00.000Z',
  status: 'booked',
  version: 1,
  reason: 'Rash on left arm since Tuesday',
  patientTimeZone: 'America/New_York',
  createdAt: '',
  updatedAt: '',
};

describe('sms text', () => {
  it('names the doctor and the patient’s local time, and nothing clinical', () => {
    for (const kind of ['booked', 'cancelled', 'rescheduled', 'reminder'] as const) {
      const text = smsText(kind, appointment);
      expect(text).toContain('Dr. Dana Rivera');
      expect(text).toMatch(/Tue, Mar 10, 2026, 11:00\sAM Eastern Daylight Time/);
      expect(text).not.toMatch(/America\/New_York|\d{4}-\d{2}-\d{2}T/);
      expect(text).not.toMatch(/rash|arm|Pat Morgan/i);
    }
  });

  it('uses the words of the app’s formatting module, in the patient’s zone', () => {
    const london = { ...appointment, start: '2026-11-30T04:00:00.000Z', patientTimeZone: 'Europe/London' };
    expect(smsText('booked', london)).toMatch(/Mon, Nov 30, 2026, 4:00\sAM Greenwich Mean Time/);
    const unknownZone = { ...appointment, patientTimeZone: undefined };
    expect(smsText('booked', unknownZone)).toMatch(/3:00\sPM Coordinated Universal Time/);
  });
});

describe('reminders', () => {
  async function setup(nowIso: string) {
    const mem = inMemoryDeps({ value: new Date(nowIso) });
    await mem.deps.profiles.put({
      userId: 'p',
      role: 'patient',
      name: 'Pat',
      email: '',
      phone: '+15555550100',
      smsOptIn: true,
      createdAt: '',
    });
    return mem;
  }

  it('sends when due and the appointment is still booked', async () => {
    const mem = await setup('2026-03-10T14:45:00Z');
    expect(await sendReminder(appointment, 15, mem.deps)).toBe('sent');
    expect(mem.sent[0]).toMatchObject({ kind: 'reminder', to: '+15555550100', appointmentId: 'a-1' });
    expect(mem.counted).toEqual(['TextSent']);
  });

  it('counts a text that failed after its retries as TextFailed, not TextSent', async () => {
    const mem = await setup('2026-03-10T14:45:00Z');
    mem.failNextSms(3);
    expect(await sendReminder(appointment, 15, mem.deps)).toBe('skipped');
    expect(mem.counted).toEqual(['TextFailed']);
    expect(mem.warnings.map((w) => w.message)).toContain('sms failed');
  });

  it('skips cancelled, moved (not yet due) and already started appointments', async () => {
    const mem = await setup('2026-03-10T14:45:00Z');
    expect(await sendReminder({ ...appointment, status: 'cancelled' }, 15, mem.deps)).toBe('skipped');
    expect(await sendReminder({ ...appointment, start: '2026-03-11T15:00:00.000Z' }, 15, mem.deps)).toBe(
      'skipped',
    );
    expect(await sendReminder(undefined, 15, mem.deps)).toBe('skipped');
    const late = await setup('2026-03-10T15:01:00Z');
    expect(await sendReminder(appointment, 15, late.deps)).toBe('skipped');
    expect([...mem.sent, ...late.sent]).toHaveLength(0);
  });
});
