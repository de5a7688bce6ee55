/** Composition root for account handlers: Cognito and the profile table only. */
import type { AccountDeps } from '../../core/accounts';
import { systemClock } from '../../core/ports';
import { config } from '../../lib/config';
import { cognitoClient } from '../cognito/client';
import { cognitoDirectory } from '../cognito/directory';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoProfiles } from '../dynamo/profiles';

export const accountDeps: AccountDeps = {
  directory: cognitoDirectory(cognitoClient, config.userPoolId),
  profiles: dynamoProfiles,
  audit: dynamoAudit,
  clock: systemClock,
};
