import { describe, expect, it } from 'vitest';
import { BadRequest, Conflict, TooManyRequests, UnprocessableEntity } from './errors';
import type { Identity } from './identity';
import {
  PHONE_CODES_PER_HOUR,
  sendPhoneCode,
  verifyPhone,
  type PhoneVerificationDeps,
} from './phone-verification';
import { SmsNotAccepted, type PhoneCode, type SmsMessage, type StoredProfile } from './ports';
import { inMemoryRateLimiter } from './testing/in-memory';

const me: Identity = { userId: 'p-1', email: 'p@example.com', role: 'patient' };

function setup() {
  const now = { value: new Date('2026-11-27T10:00:00Z') };
  const profiles = new Map<string, StoredProfile>([
    [
      'p-1',
      {
        userId: 'p-1',
        role: 'patient',
        name: 'Pat',
        email: 'p@example.com',
        phone: '+15555550100',
        phoneVerified: false,
        smsOptIn: true,
        createdAt: '',
      },
    ],
  ]);
  const codes = new Map<string, PhoneCode>();
  const sent: SmsMessage[] = [];
  const deps: PhoneVerificationDeps = {
    profiles: { put: async (p) => void profiles.set(p.userId, p), get: async (id) => profiles.get(id) },
    phoneCodes: {
      put: async (c) => void codes.set(c.userId, { ...c }),
      get: async (id) => codes.get(id) && { ...codes.get(id)! },
      async takeAttempt(id, max) {
        const code = codes.get(id);
        if (!code || code.attempts >= max) return false;
        code.attempts += 1;
        return true;
      },
      delete: async (id) => void codes.delete(id),
    },
    sms: { send: async (m) => void sent.push(m) },
    audit: { record: async () => undefined },
    clock: { now: () => now.value },
    rateLimiter: inMemoryRateLimiter(),
    practiceName: 'Riverside Demo Clinic',
  };
  const lastCode = () => /\b(\d{6})\b/.exec(sent.at(-1)!.body)![1]!;
  return { deps, profiles, codes, sent, now, lastCode };
}

describe('phone verification', () => {
  it('texts a 6-digit code to the profile phone, keeps only its hash, and confirms with it', async () => {
    const { deps, profiles, codes, sent, lastCode } = setup();
    await sendPhoneCode(me, deps);
    expect(sent[0]).toMatchObject({ to: '+15555550100', kind: 'phone-verification', recipientId: 'p-1' });
    expect(sent[0]!.body).toMatch(/^Riverside Demo Clinic: your code is \d{6}\./);
    expect(JSON.stringify([...codes.values()])).not.toContain(lastCode());
    const profile = await verifyPhone(me, lastCode(), deps);
    expect(profile.phoneVerified).toBe(true);
    expect(profiles.get('p-1')?.phoneVerified).toBe(true);
    expect(codes.size).toBe(0);
    await expect(sendPhoneCode(me, deps)).rejects.toMatchObject({ code: 'phone_verified' });
  });

  it('locks the code after 5 wrong attempts: even the right code is then refused', async () => {
    const { deps, profiles, lastCode } = setup();
    await sendPhoneCode(me, deps);
    const wrong = lastCode() === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i += 1) {
      await expect(verifyPhone(me, wrong, deps)).rejects.toSatisfy(
        (e) => e instanceof BadRequest && e.code === 'wrong_code',
      );
    }
    await expect(verifyPhone(me, wrong, deps)).rejects.toMatchObject({ code: 'code_locked' });
    await expect(verifyPhone(me, lastCode(), deps)).rejects.toMatchObject({ code: 'code_locked' });
    expect(profiles.get('p-1')?.phoneVerified).toBe(false);
  });

  it('refuses an expired code and a code sent to an earlier number', async () => {
    const { deps, profiles, now, lastCode } = setup();
    await sendPhoneCode(me, deps);
    now.value = new Date(now.value.getTime() + 10 * 60_000);
    await expect(verifyPhone(me, lastCode(), deps)).rejects.toMatchObject({ code: 'code_expired' });
    await sendPhoneCode(me, deps);
    profiles.set('p-1', { ...profiles.get('p-1')!, phone: '+15555550777' });
    await expect(verifyPhone(me, lastCode(), deps)).rejects.toSatisfy(
      (e) => e instanceof Conflict && e.code === 'no_code',
    );
  });

  it('limits codes per user', async () => {
    const { deps } = setup();
    for (let i = 0; i < PHONE_CODES_PER_HOUR; i += 1) await sendPhoneCode(me, deps);
    await expect(sendPhoneCode(me, deps)).rejects.toBeInstanceOf(TooManyRequests);
  });

  it('answers a number the provider refuses for good with 422, its rate limit with 429, and passes on the rest', async () => {
    const { deps } = setup();
    const failWith = (err: Error) => ({ ...deps, sms: { send: async () => Promise.reject(err) } });
    await expect(sendPhoneCode(me, failWith(new SmsNotAccepted(400, 21211, false)))).rejects.toMatchObject({
      code: 'phone_not_textable',
    });
    await expect(sendPhoneCode(me, failWith(new SmsNotAccepted(400, 21211, false)))).rejects.toBeInstanceOf(
      UnprocessableEntity,
    );
    await expect(sendPhoneCode(me, failWith(new SmsNotAccepted(429, 20429, true)))).rejects.toBeInstanceOf(
      TooManyRequests,
    );
    const outage = new SmsNotAccepted(503, undefined, true);
    await expect(sendPhoneCode(me, failWith(outage))).rejects.toBe(outage);
  });
});
