/**
 * Composition roots for account handlers: the operator's and the user's own (profile, doctor
 * accounts, seeding), the public sign-up, the email-confirmation trigger, and phone confirmation.
 * Each reaches only what its functions are granted: only `accountsArea` holds Cognito admin calls.
 */
import type { AccountDeps, ConfirmationDeps, SignUpDeps } from '../../core/accounts';
import type { PhoneVerificationDeps } from '../../core/phone-verification';
import { systemClock } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { cognitoClient } from '../cognito/client';
import { cognitoDirectory, cognitoGroups } from '../cognito/directory';
import { cognitoSignUp } from '../cognito/sign-up';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoPhoneCodes } from '../dynamo/phone-codes';
import { dynamoProfiles } from '../dynamo/profiles';
import { dynamoRateLimiter } from '../dynamo/rate-limits';
import { smsSender } from './appointments';
import type { Area, Overrides } from './area';
import { sessionsOf } from './session-check';
import { twilioSecret } from './twilio-secret';

export interface AccountsDeps extends AccountDeps, HttpDeps {
  /** On AWS Cognito emails a new doctor's invitation; cognito-local mails nothing, so it is shown. */
  invitationDelivery: 'email' | 'shown';
}

export function composeAccounts(config: Config, overrides: Overrides = {}): AccountsDeps {
  const table = dynamoTable(config);
  return {
    directory: cognitoDirectory(cognitoClient(config), config.userPoolId),
    profiles: dynamoProfiles(table),
    audit: dynamoAudit(table),
    clock: overrides.clock ?? systemClock,
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
    invitationDelivery: config.cognitoLocalEndpoint ? 'shown' : 'email',
  };
}

export const accountsArea: Area<AccountsDeps> = { name: 'accounts', compose: composeAccounts };

export type SignUpAreaDeps = SignUpDeps & HttpDeps;

export const signUpArea: Area<SignUpAreaDeps> = {
  name: 'sign-up',
  compose(config, overrides = {}) {
    const table = dynamoTable(config);
    return {
      signUp: cognitoSignUp(cognitoClient(config), config.userPoolClientId),
      profiles: dynamoProfiles(table),
      audit: dynamoAudit(table),
      clock: overrides.clock ?? systemClock,
      rateLimiter: dynamoRateLimiter(table),
      signupsPerHourPerIp: config.signupsPerHourPerIp,
      allowedOrigins: config.allowedOrigins,
      sessions: sessionsOf(config),
    };
  },
};

export const confirmationArea: Area<ConfirmationDeps> = {
  name: 'confirmation',
  compose(config) {
    const table = dynamoTable(config);
    return {
      groups: cognitoGroups(cognitoClient(config), config.userPoolId),
      profiles: dynamoProfiles(table),
      audit: dynamoAudit(table),
    };
  },
};

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
    };
  },
};
