import { describe, expect, it } from 'vitest';
import { deliverText, REMINDER_VALID_SECONDS, sendReminder, smsText } from './notifications';
import { SmsNotAccepted, SmsOutcomeUnknown, type SmsMessage } from './ports';
import { inMemoryDeps } from './testing/in-memory';
import { textedAppointment, textingDeps } from './testing/fixtures';

const appointment = textedAppointment();

describe('sms text', () => {
  it('names the practice, the doctor and the patient’s local time, and nothing clinical', () => {
    for (const kind of ['booked', 'cancelled', 'rescheduled', 'reminder'] as const) {
      const text = smsText(kind, appointment, 'Riverside Demo Clinic');
      expect(text).toMatch(/^Riverside Demo Clinic( reminder)?: /);
      expect(text).toContain('Dr. Dana Rivera');
      expect(text).toMatch(/Tue, Mar 10, 2026, 11:00\sAM Eastern Daylight Time/);
      expect(text).not.toMatch(/America\/New_York|\d{4}-\d{2}-\d{2}T/);
      expect(text).not.toMatch(/rash|arm|Pat Morgan/i);
      // Carrier rules: how to stop, in every text; short enough for two SMS segments.
      expect(text).toMatch(/Reply STOP to opt out\.$/);
      expect(text.length).toBeLessThanOrEqual(306);
    }
  });

  it('uses the words of the app’s formatting module, in the patient’s zone', () => {
    const london = { ...appointment, start: '2026-11-30T04:00:00.000Z', patientTimeZone: 'Europe/London' };
    expect(smsText('booked', london, 'Riverside Demo Clinic')).toMatch(
      /Mon, Nov 30, 2026, 4:00\sAM Greenwich Mean Time/,
    );
    const unknownZone = { ...appointment, patientTimeZone: undefined };
    expect(smsText('booked', unknownZone, 'Riverside Demo Clinic')).toMatch(
      /3:00\sPM Coordinated Universal Time/,
    );
  });
});

describe('reminders', () => {
  const setup = (nowIso: string) => textingDeps(nowIso, appointment);

  it('sends when due and the appointment is still booked', async () => {
    const mem = await setup('2026-03-10T14:45:00Z');
    expect(await sendReminder(appointment, 15, mem.deps)).toBe('queued');
    expect(mem.queued).toEqual([expect.objectContaining({ kind: 'reminder', appointmentId: 'a-1' })]);
    expect(mem.sent[0]).toMatchObject({ kind: 'reminder', to: '+15555550100', appointmentId: 'a-1' });
    expect(mem.counted).toEqual(['TextSent']);
  });

  it('texts only a confirmed phone, even when the patient opted in', async () => {
    const mem = await setup('2026-03-10T14:45:00Z');
    const stored = (await mem.deps.profiles.get('p'))!;
    await mem.deps.profiles.put({ ...stored, phoneVerified: false });
    expect(await sendReminder(appointment, 15, mem.deps)).toBe('skipped');
    expect(mem.queued).toHaveLength(0);
    await mem.deps.profiles.put({ ...stored, phoneVerified: true });
    expect(await sendReminder(appointment, 15, mem.deps)).toBe('queued');
    expect(mem.sent).toHaveLength(1);
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

describe('the text sender', () => {
  const request = {
    appointmentId: 'a-1',
    kind: 'booked' as const,
    recipientId: 'p',
    version: 1,
    queuedAt: '2026-03-10T14:00:00.000Z',
  };
  async function setup(phone: string, smsOptIn = true) {
    const now = { value: new Date('2026-03-10T14:05:00Z') };
    const mem = Object.assign(inMemoryDeps(now), { now });
    mem.appointments.set('a-1', appointment);
    await mem.deps.profiles.put({
      userId: 'p',
      role: 'patient',
      name: 'Pat',
      email: '',
      phone,
      smsOptIn,
      phoneVerified: true,
      createdAt: '',
    });
    return mem;
  }

  it('builds the text and reads the phone when it sends', async () => {
    const mem = await setup('+15555550199');
    expect(await deliverText(request, mem.deps)).toBe('sent');
    expect(mem.sent).toEqual([
      {
        recipientId: 'p',
        to: '+15555550199',
        body: smsText('booked', appointment, mem.deps.practiceName),
        kind: 'booked',
        appointmentId: 'a-1',
        textId: 'a-1.booked.1',
        queuedAt: request.queuedAt,
      },
    ]);
  });

  it('does not send a redelivered text twice once it went out', async () => {
    const mem = await setup('+15555550199');
    await deliverText(request, mem.deps);
    expect(await deliverText(request, mem.deps)).toBe('duplicate');
    expect(mem.sent).toHaveLength(1);
    // A later change of the same appointment is another text.
    expect(await deliverText({ ...request, version: 2 }, mem.deps)).toBe('sent');
    expect(mem.sent).toHaveLength(2);
  });

  it('throws when the provider fails, so the queue retries, and records nothing as sent', async () => {
    const mem = await setup('+15555550199');
    mem.failNextSms(1);
    await expect(deliverText(request, mem.deps)).rejects.toThrow('provider down');
    expect(mem.sentTexts.size).toBe(0);
    expect(await deliverText(request, mem.deps)).toBe('sent');
    // Each failed attempt counts as TextFailed, the text that went out as TextSent.
    expect(mem.counted).toEqual(['TextFailed', 'TextSent']);
  });

  it('skips a patient who opted out after the text was queued, and a vanished appointment', async () => {
    const optedOut = await setup('+15555550199', false);
    expect(await deliverText(request, optedOut.deps)).toBe('skipped');
    const gone = await setup('+15555550199');
    gone.appointments.delete('a-1');
    expect(await deliverText(request, gone.deps)).toBe('skipped');
    expect([...optedOut.sent, ...gone.sent]).toEqual([]);
  });

  /** The provider as the test wants it: every attempt is recorded, then `answer` decides. */
  function provider(mem: Awaited<ReturnType<typeof setup>>, answer: () => void) {
    const attempts: SmsMessage[] = [];
    mem.deps.sms = {
      send: async (message) => {
        attempts.push(message);
        answer();
      },
    };
    return attempts;
  }

  it('records a text the provider refused for good as failed, logs status and code, and never retries it', async () => {
    for (const code of [21610, 21211, 21408, 20003]) {
      const mem = await setup('+15555550199');
      const attempts = provider(mem, () => {
        throw new SmsNotAccepted(code === 20003 ? 401 : 400, code, false);
      });
      // Answered, not thrown: the queue acknowledges it instead of retrying.
      expect(await deliverText(request, mem.deps)).toBe('failed');
      expect(mem.sentTexts.get('a-1.booked.1')).toBe('failed');
      expect(mem.counted).toEqual(['TextFailed']);
      expect(mem.warnings).toEqual([
        {
          message: 'text refused',
          attributes: { appointmentId: 'a-1', kind: 'booked', status: code === 20003 ? 401 : 400, code },
        },
      ]);
      expect(JSON.stringify(mem.warnings)).not.toContain('5555550199');
      // A redelivery (or a redrive from the dead-letter queue) does not try again.
      expect(await deliverText(request, mem.deps)).toBe('duplicate');
      expect(attempts).toHaveLength(1);
    }
  });

  it('throws for the provider’s rate limit and outages, and lets the next delivery try again', async () => {
    const mem = await setup('+15555550199');
    let answer: Error | undefined = new SmsNotAccepted(503, 20500, true);
    const attempts = provider(mem, () => {
      if (answer) throw answer;
    });
    await expect(deliverText(request, mem.deps)).rejects.toBeInstanceOf(SmsNotAccepted);
    answer = new SmsNotAccepted(429, 20429, true);
    await expect(deliverText(request, mem.deps)).rejects.toBeInstanceOf(SmsNotAccepted);
    expect(mem.sentTexts.has('a-1.booked.1')).toBe(false);
    answer = undefined;
    expect(await deliverText(request, mem.deps)).toBe('sent');
    expect(attempts).toHaveLength(3);
    expect(mem.counted).toEqual(['TextFailed', 'TextFailed', 'TextSent']);
  });

  it('does not send again when an attempt may have reached the provider (timeout or a crash mid-send)', async () => {
    const mem = await setup('+15555550199');
    const attempts = provider(mem, () => {
      throw new SmsOutcomeUnknown();
    });
    expect(await deliverText(request, mem.deps)).toBe('unconfirmed');
    expect(await deliverText(request, mem.deps)).toBe('unconfirmed');
    expect(attempts).toHaveLength(1);
    expect(mem.warnings.map((w) => w.message)).toEqual(['text outcome unknown']);

    // An attempt that never came back (the sender stopped after claiming the text) is not repeated.
    const crashed = await setup('+15555550199');
    const retried = provider(crashed, () => undefined);
    await crashed.deps.sentTexts.claim('a-1.booked.1', new Date());
    expect(await deliverText(request, crashed.deps)).toBe('unconfirmed');
    expect(retried).toHaveLength(0);
  });

  it('gives a reminder a validity that ends by the visit start, and drops one for a started visit', async () => {
    const reminder = { ...request, kind: 'reminder' as const };
    // 55 minutes before the start: at most REMINDER_VALID_SECONDS.
    const early = await setup('+15555550199');
    expect(await deliverText(reminder, early.deps)).toBe('sent');
    expect(early.sent[0]?.validForSeconds).toBe(REMINDER_VALID_SECONDS);
    // Four minutes before: until the start only.
    const late = await setup('+15555550199');
    late.now.value = new Date('2026-03-10T14:56:00Z');
    expect(await deliverText(reminder, late.deps)).toBe('sent');
    expect(late.sent[0]?.validForSeconds).toBe(240);
    // Other texts carry no validity; a reminder once the visit started is not sent.
    const booked = await setup('+15555550199');
    await deliverText(request, booked.deps);
    expect(booked.sent[0]).not.toHaveProperty('validForSeconds');
    const started = await setup('+15555550199');
    started.now.value = new Date('2026-03-10T15:00:00Z');
    expect(await deliverText(reminder, started.deps)).toBe('skipped');
    expect(started.sent).toEqual([]);
  });
});
