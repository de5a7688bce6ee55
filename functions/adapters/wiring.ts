/** Composition root: the real adapters behind core's ports, created once per Lambda container. */
import { systemClock } from '../core/ports';
import type { AccountDeps } from '../core/accounts';
import { config } from '../lib/config';
import { cognitoClient } from './cognito/client';
import { cognitoDirectory } from './cognito/directory';
import { dynamoAudit } from './dynamo/audit';
import { dynamoProfiles } from './dynamo/profiles';

export const accountDeps: AccountDeps = {
  directory: cognitoDirectory(cognitoClient, config.userPoolId),
  profiles: dynamoProfiles,
  audit: dynamoAudit,
  clock: systemClock,
};
