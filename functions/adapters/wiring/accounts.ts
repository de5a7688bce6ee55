/** Composition root for account handlers: Cognito and the profile table only. */
import type { AccountDeps } from '../../core/accounts';
import { systemClock } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { cognitoClient } from '../cognito/client';
import { cognitoDirectory } from '../cognito/directory';
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
    directory: cognitoDirectory(cognitoClient(config), config.userPoolId),
    profiles: dynamoProfiles(table),
    audit: dynamoAudit(table),
    clock: overrides.clock ?? systemClock,
    rateLimiter: dynamoRateLimiter(table),
    signupsPerHourPerIp: config.signupsPerHourPerIp,
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
    invitationDelivery: config.cognitoLocalEndpoint ? 'shown' : 'email',
  };
}

export const accountsArea: Area<AccountsDeps> = { name: 'accounts', compose: composeAccounts };
