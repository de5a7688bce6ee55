import { describe, expect, it } from 'vitest';
import { deliverText } from './notifications';
import { receiveSmsWebhook, type SmsWebhookDeps } from './sms-webhook';
import { inMemoryDeps } from './testing/in-memory';
import { PATIENT_PHONE, textablePatient, textedAppointment } from './testing/fixtures';

const PHONE = PATIENT_PHONE;
const appointment = textedAppointment({ reason: 'Rash', patientTimeZone: undefined });
const patient = textablePatient;

/** The in-memory deps, a text sent (provider id SM1) and a signature check answering `valid`. */
async function setup(valid = true) {
  const mem = inMemoryDeps({ value: new Date('2026-03-09T10:00:00.000Z') });
  mem.appointments.set('a-1', appointment);
  await mem.deps.profiles.put(patient());
  const request = {
    appointmentId: 'a-1',
    kind: 'booked' as const,
    recipientId: 'p',
    version: 1,
    queuedAt: '',
  };
  expect(await deliverText(request, mem.deps)).toBe('sent');
  const deps: SmsWebhookDeps = { ...mem.deps, signature: { isValid: async () => valid } };
  return { mem, deps };
}

describe('the SMS webhook', () => {
  it('refuses a post without a valid signature and changes nothing', async () => {
    const { mem, deps } = await setup(false);
    await expect(
      receiveSmsWebhook('bad', { MessageSid: 'SM1', MessageStatus: 'failed', ErrorCode: '30034' }, deps),
    ).rejects.toMatchObject({ code: 'invalid_signature' });
    await expect(receiveSmsWebhook('bad', { OptOutType: 'STOP', From: PHONE }, deps)).rejects.toThrow();
    expect(mem.deliveries.size).toBe(0);
    expect(mem.profiles.get('p')?.smsOptIn).toBe(true);
    expect(mem.counted).not.toContain('TextUndelivered');
  });

  it('stores the delivery status with the text, never moving it backwards', async () => {
    const { mem, deps } = await setup();
    expect(await receiveSmsWebhook('s', { MessageSid: 'SM1', MessageStatus: 'sent' }, deps)).toBe('delivery');
    await receiveSmsWebhook('s', { MessageSid: 'SM1', MessageStatus: 'delivered' }, deps);
    await receiveSmsWebhook('s', { MessageSid: 'SM1', MessageStatus: 'sent' }, deps);
    await receiveSmsWebhook('s', { MessageSid: 'SM1', MessageStatus: 'queued' }, deps);
    expect(mem.deliveries.get('a-1.booked.1')).toMatchObject({ status: 'delivered' });
  });

  it('counts and logs an undelivered text with the carrier code, not the number', async () => {
    const { mem, deps } = await setup();
    await receiveSmsWebhook(
      's',
      { MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30034', To: PHONE },
      deps,
    );
    expect(mem.deliveries.get('a-1.booked.1')).toMatchObject({ status: 'undelivered', errorCode: 30034 });
    expect(mem.counted).toContain('TextUndelivered');
    const warning = mem.warnings.find((w) => w.message === 'text undelivered');
    expect(warning?.attributes).toMatchObject({ status: 'undelivered', code: 30034, found: true });
    expect(JSON.stringify(mem.warnings)).not.toContain(PHONE);
  });

  it('ignores reports it cannot place and statuses it does not know', async () => {
    const { mem, deps } = await setup();
    expect(await receiveSmsWebhook('s', { MessageSid: 'SM1', MessageStatus: 'weird' }, deps)).toBe('ignored');
    expect(await receiveSmsWebhook('s', { Body: 'hello' }, deps)).toBe('ignored');
    await receiveSmsWebhook('s', { MessageSid: 'SM404', MessageStatus: 'failed', ErrorCode: '30005' }, deps);
    expect(mem.deliveries.size).toBe(0);
    expect(mem.warnings.find((w) => w.message === 'text undelivered')?.attributes).toMatchObject({
      found: false,
    });
  });

  it('STOP turns the opt-in off and START back on, each audited as the patient’s own', async () => {
    const { mem, deps } = await setup();
    expect(await receiveSmsWebhook('s', { OptOutType: 'STOP', From: PHONE }, deps)).toBe('opt-out');
    expect(mem.profiles.get('p')?.smsOptIn).toBe(false);
    expect(await receiveSmsWebhook('s', { OptOutType: 'START', From: PHONE }, deps)).toBe('opt-in');
    expect(mem.profiles.get('p')?.smsOptIn).toBe(true);
    expect(mem.audit.filter((e) => e.action === 'preferences.updated')).toEqual([
      expect.objectContaining({ actorId: 'p', patientId: 'p', actorRole: 'patient' }),
      expect.objectContaining({ actorId: 'p', patientId: 'p', actorRole: 'patient' }),
    ]);
  });

  it('START does nothing for a number that is no longer the patient’s confirmed one', async () => {
    const { mem, deps } = await setup();
    await mem.deps.profiles.put(patient({ smsOptIn: false, phoneVerified: false }));
    await receiveSmsWebhook('s', { OptOutType: 'START', From: PHONE }, deps);
    expect(mem.profiles.get('p')?.smsOptIn).toBe(false);
    expect(mem.audit.filter((e) => e.action === 'preferences.updated')).toHaveLength(0);
  });
});
