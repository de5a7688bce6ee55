/** Composition root for the user-pool triggers Cognito invokes: the pool's own admin reads only. */
import type { MfaDeps } from '../../core/mfa';
import type { Config } from '../../lib/config';
import { cognitoClient } from '../cognito/client';
import { cognitoMfaSettings } from '../cognito/mfa-settings';
import type { Area } from './area';

export const userPoolTriggersArea: Area<MfaDeps> = {
  name: 'user-pool-triggers',
  compose: (config: Config) => ({ mfa: cognitoMfaSettings(cognitoClient(config)) }),
};
