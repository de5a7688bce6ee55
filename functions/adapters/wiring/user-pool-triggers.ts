/** Composition root for the user-pool triggers Cognito invokes: the pool's own admin reads only. */
import type { MfaDeps } from '../../core/mfa';
import { cognitoClient } from '../cognito/client';
import { cognitoMfaSettings } from '../cognito/mfa-settings';
import type { Area } from './area';

/** The trigger reads the pool from the event: its configuration holds no pool ids (a cycle). */
export const userPoolTriggersArea: Area<MfaDeps> = {
  name: 'user-pool-triggers',
  compose: (config) => ({ mfa: cognitoMfaSettings(cognitoClient(config)) }),
};
