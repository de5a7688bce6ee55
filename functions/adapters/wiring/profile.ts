/** Composition root for reading and updating one's own profile: the table only, no Cognito client. */
import type { AccountDeps } from '../../core/accounts';
import type { HttpDeps } from '../../lib/http';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoProfiles } from '../dynamo/profiles';
import type { Area } from './area';
import { sessionsOf } from './session-check';

export type ProfileAreaDeps = Pick<AccountDeps, 'profiles' | 'audit'> & HttpDeps;

export const profileArea: Area<ProfileAreaDeps> = {
  name: 'profile',
  compose(config) {
    const table = dynamoTable(config);
    return {
      profiles: dynamoProfiles(table),
      audit: dynamoAudit(table),
      allowedOrigins: config.allowedOrigins,
      sessions: sessionsOf(config),
    };
  },
};
