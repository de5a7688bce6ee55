/**
 * Composition roots for account handlers: the operator's and the user's own (profile, doctor
 * accounts, seeding), the public sign-up and the email-confirmation trigger.
 * Each reaches only what its functions are granted: only `accountsArea` holds Cognito admin calls.
 */
import type { AccountDeps, ConfirmationDeps, SignUpDeps } from '../../core/accounts';
import { systemClock } from '../../core/ports';
import { userPoolOf, type Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { cognitoClient } from '../cognito/client';
import { cognitoDirectory, cognitoGroups } from '../cognito/directory';
import { cognitoSignUp } from '../cognito/sign-up';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoProfiles } from '../dynamo/profiles';
import { dynamoRateLimiter } from '../dynamo/rate-limits';
import type { Area, Overrides } from './area';
import { sessionsOf } from './session-check';

export interface AccountsDeps extends AccountDeps, HttpDeps {
  /** On AWS Cognito emails a new doctor's invitation; cognito-local mails nothing, so it is shown. */
  invitationDelivery: 'email' | 'shown';
}

export function composeAccounts(config: Config, overrides: Overrides = {}): AccountsDeps {
  const table = dynamoTable(config);
  return {
    directory: cognitoDirectory(cognitoClient(config), userPoolOf(config).userPoolId),
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
      signUp: cognitoSignUp(cognitoClient(config), userPoolOf(config).userPoolClientId),
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
      groups: cognitoGroups(cognitoClient(config)),
      profiles: dynamoProfiles(table),
      audit: dynamoAudit(table),
      sessions: sessionsOf(config),
      sessionClock: systemClock,
    };
  },
};
