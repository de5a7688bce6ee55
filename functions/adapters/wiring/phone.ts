/** Composition root for phone confirmation: profiles, the pending code, and the SMS provider. */
import type { PhoneVerificationDeps } from '../../core/phone-verification';
import { systemClock } from '../../core/ports';
import type { HttpDeps } from '../../lib/http';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoPhoneCodes } from '../dynamo/phone-codes';
import { dynamoProfiles } from '../dynamo/profiles';
import { dynamoRateLimiter } from '../dynamo/rate-limits';
import type { Area } from './area';
import { sessionsOf } from './session-check';
import { smsSender } from './sms';
import { twilioSecret } from './twilio-secret';

export type PhoneAreaDeps = PhoneVerificationDeps & HttpDeps;

export const phoneArea: Area<PhoneAreaDeps> = {
  name: 'phone',
  compose(config, overrides = {}) {
    const table = dynamoTable(config);
    return {
      profiles: dynamoProfiles(table),
      phoneCodes: dynamoPhoneCodes(table),
      sms: smsSender({ config, table, twilioSecret: twilioSecret(config) }),
      audit: dynamoAudit(table),
      clock: overrides.clock ?? systemClock,
      rateLimiter: dynamoRateLimiter(table),
      allowedOrigins: config.allowedOrigins,
      sessions: sessionsOf(config),
      practiceName: config.practiceName,
    };
  },
};
