import { receiveSmsWebhook } from '../core/sms-webhook';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { smsWebhookArea } from '../adapters/wiring/sms-webhook';
import { http } from '../lib/http';
import { routes } from '../routes';

/** Twilio reads an empty TwiML answer as "nothing to reply" (no text goes back to the sender). */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

export const { area, create, handler } = lambdaHandler(smsWebhookArea, (deps) =>
  http(routes.twilioMessagingWebhook, deps, async ({ body, header }) => {
    const params = Object.fromEntries(
      Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    await receiveSmsWebhook(header('x-twilio-signature'), params, deps);
    return { body: EMPTY_TWIML };
  }),
);
