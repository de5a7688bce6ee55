// The webhook subpath alone: the package entry point would pull in Twilio's whole REST client.
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import type { WebhookSignature } from '../../core/sms-webhook';
import { TwilioNotConfigured, type TwilioCredentialSource } from './twilio';

/**
 * Checks `X-Twilio-Signature` (HMAC of the exact public URL Twilio posted to and the form fields,
 * keyed with the account's auth token). `url` must be the address as Twilio knows it, scheme, host,
 * stage and path included: API Gateway's event does not carry it, so it comes from configuration.
 * A refused post does not re-read the secret (anyone can post here); a rotated auth token takes
 * effect within the secret's five-minute cache.
 */
export function twilioWebhookSignature(credentials: TwilioCredentialSource, url: string): WebhookSignature {
  return {
    async isValid(signature, params) {
      if (!signature) return false;
      const { authToken } = await credentials();
      if (!authToken) throw new TwilioNotConfigured('The Twilio secret lacks authToken');
      return validateRequest(authToken, signature, url, params);
    },
  };
}
