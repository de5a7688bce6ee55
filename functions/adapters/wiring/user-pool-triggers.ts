/**
 * Composition root for the user-pool trigger Cognito invokes before issuing tokens: the pool's own
 * admin reads, and the profile's last sign-in.
 */
import type { MfaDeps } from '../../core/mfa';
import { systemClock, type Clock, type DoctorAccounts } from '../../core/ports';
import { cognitoClient } from '../cognito/client';
import { cognitoMfaSettings } from '../cognito/mfa-settings';
import { dynamoTable } from '../dynamo/client';
import { dynamoDoctorAccounts } from '../dynamo/profiles';
import type { Area } from './area';

export interface TokenTriggerDeps extends MfaDeps {
  doctorAccounts: Pick<DoctorAccounts, 'recordSignIn'>;
  /** Sign-ins are Cognito's real time. */
  sessionClock: Clock;
}

/** The trigger reads the pool from the event: its configuration holds no pool ids (a cycle). */
export const userPoolTriggersArea: Area<TokenTriggerDeps> = {
  name: 'user-pool-triggers',
  compose: (config) => ({
    mfa: cognitoMfaSettings(cognitoClient(config)),
    doctorAccounts: dynamoDoctorAccounts(dynamoTable(config)),
    sessionClock: systemClock,
  }),
};
