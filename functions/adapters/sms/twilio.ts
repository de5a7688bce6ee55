import type { SmsSender } from '../../core/ports';

/** Texts go out with an API key (SK…) of the account, never the account's auth token. */
export interface TwilioCredentials {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  fromNumber?: string;
  messagingServiceSid?: string;
}

/**
 * Twilio is not set up: no secret, or it still holds the placeholder, or it lacks what the caller
 * needs. Says which fields are missing, never their values. Texts fail into their retry path; the
 * live composition answers 503 `video_unavailable`.
 */
export class TwilioNotConfigured extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwilioNotConfigured';
  }
}

export class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
  ) {
    super(`Twilio answered ${status}${code ? ` (error ${code})` : ''}`);
    this.name = 'TwilioError';
  }
}

/**
 * Twilio Programmable Messaging over its REST API. One form POST is all a text needs, so the
 * helper library (megabytes in a Lambda bundle) is not pulled in; `fetch` is injectable so tests
 * fake the HTTP layer and never reach Twilio.
 */
export function twilioSms(
  credentials: () => Promise<TwilioCredentials>,
  fetchImpl: typeof fetch = fetch,
  apiBase = 'https://api.twilio.com',
): SmsSender {
  return {
    async send(message) {
      const creds = await credentials();
      const form = new URLSearchParams({ To: message.to, Body: message.body });
      if (creds.messagingServiceSid) form.set('MessagingServiceSid', creds.messagingServiceSid);
      else if (creds.fromNumber) form.set('From', creds.fromNumber);
      else throw new TwilioNotConfigured('The Twilio secret has neither fromNumber nor messagingServiceSid');
      const response = await fetchImpl(
        `${apiBase}/2010-04-01/Accounts/${encodeURIComponent(creds.accountSid)}/Messages.json`,
        {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${creds.apiKeySid}:${creds.apiKeySecret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: form.toString(),
          signal: AbortSignal.timeout(2500),
        },
      );
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { code?: number };
        throw new TwilioError(response.status, body.code);
      }
    },
  };
}
