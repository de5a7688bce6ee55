import { Forbidden } from './errors';
import type { Log } from './notifications';
import type { AuditLog, BusinessMetrics, Clock, ProfileRepository, SentTexts } from './ports';

/**
 * What the SMS provider posts to its webhook (Twilio's form fields): a delivery report of a text we
 * sent (`MessageStatus`, `ErrorCode`) or, with Advanced Opt-Out, a patient's STOP/START reply
 * (`OptOutType`, `From`). All values are strings, as posted.
 */
export type SmsWebhookParams = Readonly<Record<string, string>>;

/** Checks that the post came from the provider (Twilio: `X-Twilio-Signature` over URL and fields). */
export interface WebhookSignature {
  isValid(signature: string | undefined, params: SmsWebhookParams): Promise<boolean>;
}

export interface SmsWebhookDeps {
  signature: WebhookSignature;
  sentTexts: Pick<SentTexts, 'recordDelivery'>;
  profiles: Pick<ProfileRepository, 'get' | 'put' | 'withVerifiedPhone'>;
  audit: AuditLog;
  /** `TextUndelivered` per text the carrier could not deliver. */
  metrics: BusinessMetrics;
  log: Log;
  clock: Clock;
}

/**
 * The stage of each status Twilio reports for an outbound text; the final ones share the last
 * stage, so `delivered` is never replaced by a late `sent`, nor by another final status.
 */
const STAGES: Readonly<Record<string, number>> = {
  accepted: 1,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  delivered: 5,
  undelivered: 5,
  failed: 5,
  canceled: 5,
  read: 6,
};
const UNDELIVERED = new Set(['undelivered', 'failed']);

export type SmsWebhookOutcome = 'delivery' | 'opt-out' | 'opt-in' | 'ignored';

/**
 * One post of the provider, after its signature: without a valid one nothing changes (Forbidden).
 * A delivery report is stored with the text; an undelivered text is counted and logged with the
 * provider's code (never the number or the words). STOP turns the SMS opt-in off for every patient
 * whose confirmed number sent it, START back on (only while it is still their confirmed number);
 * each change is audited as the patient's own. Anything else (HELP, an ordinary reply) is ignored.
 */
export async function receiveSmsWebhook(
  signature: string | undefined,
  params: SmsWebhookParams,
  deps: SmsWebhookDeps,
): Promise<SmsWebhookOutcome> {
  if (!(await deps.signature.isValid(signature, params))) {
    throw new Forbidden('The request signature is not valid', 'invalid_signature');
  }
  const optOut = params.OptOutType?.toUpperCase();
  if (optOut === 'STOP' || optOut === 'START') {
    if (!params.From) return 'ignored';
    await setOptIn(params.From, optOut === 'START', deps);
    return optOut === 'STOP' ? 'opt-out' : 'opt-in';
  }
  const status = params.MessageStatus?.toLowerCase();
  const stage = status === undefined ? undefined : STAGES[status];
  if (!params.MessageSid || status === undefined || stage === undefined) return 'ignored';
  const errorCode = /^\d{1,9}$/.test(params.ErrorCode ?? '') ? Number(params.ErrorCode) : undefined;
  const found = await deps.sentTexts.recordDelivery(params.MessageSid, {
    status,
    stage,
    errorCode,
    at: deps.clock.now(),
  });
  if (UNDELIVERED.has(status)) {
    deps.metrics.count('TextUndelivered');
    deps.log.warn('text undelivered', { status, code: errorCode, providerId: params.MessageSid, found });
  }
  return 'delivery';
}

async function setOptIn(phone: string, smsOptIn: boolean, deps: SmsWebhookDeps): Promise<void> {
  for (const indexed of await deps.profiles.withVerifiedPhone(phone)) {
    // The index may lag: the profile as it is now decides.
    const profile = await deps.profiles.get(indexed.userId);
    if (!profile || profile.deletedAt || profile.phone !== phone || !profile.phoneVerified) continue;
    if (Boolean(profile.smsOptIn) === smsOptIn) continue;
    await deps.profiles.put({ ...profile, smsOptIn });
    await deps.audit.record({
      action: 'preferences.updated',
      actorId: profile.userId,
      actorRole: 'patient',
      patientId: profile.userId,
      targetId: profile.userId,
    });
  }
}
