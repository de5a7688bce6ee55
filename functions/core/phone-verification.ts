/**
 * A phone number receives texts only after its owner proves it is theirs: we text a 6-digit code
 * (through the SmsSender port: Twilio on AWS, the outbox locally) and they enter it. Only a hash of
 * the code is stored, bound to the user and the number; it expires after 10 minutes and allows 5
 * attempts, and codes per user are rate-limited, so guessing is bounded (at most 5 guesses per code
 * and PHONE_CODES_PER_HOUR codes an hour).
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { publicProfile } from './accounts';
import type { Identity } from './identity';
import { BadRequest, Conflict, NotFound, TooManyRequests, UnprocessableEntity } from './errors';
import {
  SmsNotAccepted,
  type AuditLog,
  type Clock,
  type PhoneCodeStore,
  type ProfileRepository,
  type RateLimiter,
  type SmsSender,
} from './ports';
import { enforceRateLimit } from './rate-limits';

export const PHONE_CODE_TTL_MINUTES = 10;
export const PHONE_CODE_MAX_ATTEMPTS = 5;
export const PHONE_CODES_PER_HOUR = 5;

export interface PhoneVerificationDeps {
  profiles: Pick<ProfileRepository, 'get' | 'put'>;
  phoneCodes: PhoneCodeStore;
  sms: SmsSender;
  audit: AuditLog;
  clock: Clock;
  rateLimiter: RateLimiter;
  /** The practice the code text names (PRACTICE_NAME). */
  practiceName: string;
}

const hashOf = (userId: string, phone: string, code: string) =>
  createHash('sha256').update(`${userId}\n${phone}\n${code}`).digest('hex');

async function profileWithPhone(identity: Identity, deps: Pick<PhoneVerificationDeps, 'profiles'>) {
  const profile = await deps.profiles.get(identity.userId);
  if (!profile) throw new NotFound('No profile exists for this account');
  if (!profile.phone) throw new Conflict('Add a mobile number to your profile first', 'no_phone');
  if (profile.phoneVerified) throw new Conflict('This mobile number is already confirmed', 'phone_verified');
  return { ...profile, phone: profile.phone };
}

/** Texts a fresh code to the profile's phone; an earlier code stops working. */
export async function sendPhoneCode(
  identity: Identity,
  deps: PhoneVerificationDeps,
): Promise<{ expiresAt: string }> {
  const profile = await profileWithPhone(identity, deps);
  await enforceRateLimit(
    `phone-code:${identity.userId}`,
    { count: PHONE_CODES_PER_HOUR, periodSeconds: 3600 },
    deps,
  );
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(deps.clock.now().getTime() + PHONE_CODE_TTL_MINUTES * 60_000).toISOString();
  await deps.phoneCodes.put({
    userId: identity.userId,
    phone: profile.phone,
    codeHash: hashOf(identity.userId, profile.phone, code),
    expiresAt,
    attempts: 0,
  });
  try {
    await deps.sms.send({
      recipientId: identity.userId,
      to: profile.phone,
      kind: 'phone-verification',
      body: `${deps.practiceName}: your code is ${code}. It confirms this number for visit texts and expires in ${PHONE_CODE_TTL_MINUTES} minutes.`,
    });
  } catch (err) {
    // The provider refused the number for good (invalid, opted out, region not enabled): the
    // patient must check or change it. Its rate limit is theirs to wait out; anything else is ours.
    if (err instanceof SmsNotAccepted && err.status === 429) {
      throw new TooManyRequests('Too many texts right now. Try again in a minute.', 60);
    }
    if (err instanceof SmsNotAccepted && !err.retryable) {
      throw new UnprocessableEntity(
        'We could not text this number. Check it, or use another mobile number.',
        'phone_not_textable',
      );
    }
    throw err;
  }
  return { expiresAt };
}

/** Marks the profile's phone verified when `code` is the one last texted to that same number. */
export async function verifyPhone(identity: Identity, code: string, deps: PhoneVerificationDeps) {
  const profile = await profileWithPhone(identity, deps);
  const pending = await deps.phoneCodes.get(identity.userId);
  // A code sent to an earlier number confirms nothing about the current one.
  if (!pending || pending.phone !== profile.phone) {
    throw new Conflict('No code is waiting for this number. Send a new code.', 'no_code');
  }
  if (Date.parse(pending.expiresAt) <= deps.clock.now().getTime()) {
    throw new Conflict('This code has expired. Send a new code.', 'code_expired');
  }
  if (!(await deps.phoneCodes.takeAttempt(identity.userId, PHONE_CODE_MAX_ATTEMPTS))) {
    throw new Conflict('Too many wrong codes. Send a new code.', 'code_locked');
  }
  const given = Buffer.from(hashOf(identity.userId, profile.phone, code), 'hex');
  if (!timingSafeEqual(given, Buffer.from(pending.codeHash, 'hex'))) {
    const left = PHONE_CODE_MAX_ATTEMPTS - pending.attempts - 1;
    if (left <= 0) throw new Conflict('Too many wrong codes. Send a new code.', 'code_locked');
    throw new BadRequest(
      'That code is not right',
      { code: `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.` },
      'wrong_code',
    );
  }
  await deps.phoneCodes.delete(identity.userId);
  await deps.profiles.put({ ...profile, phoneVerified: true });
  await deps.audit.record({ action: 'phone.verified', actorId: identity.userId, targetId: identity.userId });
  return { ...publicProfile({ ...profile, phoneVerified: true }), role: identity.role };
}
