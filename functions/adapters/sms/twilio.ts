import { SmsNotAccepted, SmsOutcomeUnknown, type SmsSender } from '../../core/ports';

/** Texts go out with an API key (SK…) of the account, never the account's auth token. */
export interface TwilioCredentials {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  fromNumber?: string;
  messagingServiceSid?: string;
  /** The account's auth token: Twilio signs its webhooks with it (never used to send). */
  authToken?: string;
}

/** The credentials as kept; `fresh` drops what is kept and reads them again (after a 401). */
export type TwilioCredentialSource = (options?: { fresh?: boolean }) => Promise<TwilioCredentials>;

/**
 * Twilio is not set up: no secret, or it still holds the placeholder, or it lacks what the caller
 * needs. Says which fields are missing, never their values. Texts fail into their retry path (then
 * the dead-letter queue and its alarm); phone codes answer 503 `sms_unavailable` and the live
 * composition 503 `video_unavailable`.
 */
export class TwilioNotConfigured extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwilioNotConfigured';
  }
}

/** Twilio answered without taking the text: its HTTP status and numeric error code, nothing else. */
export class TwilioError extends SmsNotAccepted {
  constructor(status: number, code: number | undefined) {
    // 429 is Twilio's rate limit and 5xx its own failure: a later attempt may succeed. Any other
    // answer (21610 opted out, 21211 invalid number, 21408 region not enabled, 20003 credentials
    // even after re-reading them) fails the same way every time.
    super(status, code, status === 429 || status >= 500);
    this.name = 'TwilioError';
  }
}

/** Connection failures that mean the request never reached Twilio: safe to send again. */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * A fetch that threw: a connection that never opened is rethrown as is (retried); a timeout or a
 * connection lost after the request left may have reached Twilio, so it is SmsOutcomeUnknown.
 */
function whyNoAnswer(error: unknown): Error {
  const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? '') as string;
  if (NEVER_SENT.has(code)) return error as Error;
  return new SmsOutcomeUnknown(
    (error as Error).name === 'TimeoutError'
      ? 'Twilio did not answer in time'
      : `The connection to Twilio broke before its answer (${code || (error as Error).name})`,
  );
}

/** Twilio's own limit is 36 000 s (10 h); it needs at least 1. */
const validity = (seconds: number) => String(Math.max(1, Math.min(36_000, Math.floor(seconds))));

export interface TwilioSmsOptions {
  apiBase?: string;
  /**
   * How long one request may take. Twilio usually answers within a second; waiting 10 s keeps a
   * slow 201 from turning into an unknown outcome, and stays within the sender's 20-second run
   * (one text per run: the event source's batch size is 1).
   */
  timeoutMs?: number;
  /** Where Twilio posts the text's delivery reports (our signed webhook, `StatusCallback`). */
  statusCallback?: string;
}

/**
 * Twilio Programmable Messaging over its REST API. One form POST is all a text needs, so the
 * helper library (megabytes in a Lambda bundle) is not pulled in; `fetch` is injectable so tests
 * fake the HTTP layer and never reach Twilio. A 401 drops the kept credentials and tries once more
 * with freshly read ones (a rotated API key takes effect at once).
 */
export function twilioSms(
  credentials: TwilioCredentialSource,
  fetchImpl: typeof fetch = fetch,
  { apiBase = 'https://api.twilio.com', timeoutMs = 10_000, statusCallback }: TwilioSmsOptions = {},
): SmsSender {
  return {
    async send(message) {
      const post = (creds: TwilioCredentials) => {
        const form = new URLSearchParams({ To: message.to, Body: message.body });
        if (creds.messagingServiceSid) form.set('MessagingServiceSid', creds.messagingServiceSid);
        else if (creds.fromNumber) form.set('From', creds.fromNumber);
        else
          throw new TwilioNotConfigured('The Twilio secret has neither fromNumber nor messagingServiceSid');
        if (message.validForSeconds !== undefined)
          form.set('ValidityPeriod', validity(message.validForSeconds));
        if (statusCallback) form.set('StatusCallback', statusCallback);
        return fetchImpl(
          `${apiBase}/2010-04-01/Accounts/${encodeURIComponent(creds.accountSid)}/Messages.json`,
          {
            method: 'POST',
            headers: {
              authorization: `Basic ${Buffer.from(`${creds.apiKeySid}:${creds.apiKeySecret}`).toString('base64')}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: form.toString(),
            signal: AbortSignal.timeout(timeoutMs),
          },
        ).catch((error: unknown) => {
          throw whyNoAnswer(error);
        });
      };
      let response = await post(await credentials());
      if (response.status === 401) {
        await response.body?.cancel();
        response = await post(await credentials({ fresh: true }));
      }
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { code?: unknown };
        throw new TwilioError(response.status, typeof body.code === 'number' ? body.code : undefined);
      }
      // The Message SID its delivery reports name; a body that cannot be read loses only those.
      const body = (await response.json().catch(() => ({}))) as { sid?: unknown };
      return typeof body.sid === 'string' ? { providerId: body.sid } : {};
    },
  };
}
