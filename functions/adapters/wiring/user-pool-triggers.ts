/** Composition root for the user-pool triggers Cognito invokes: the pool's own admin reads only. */
import type { MfaDeps } from '../../core/mfa';
import type { TriggerConfig } from '../../lib/config';
import { cognitoClient } from '../cognito/client';
import { cognitoMfaSettings } from '../cognito/mfa-settings';
import type { TriggerArea } from './lambda';

export const userPoolTriggersArea: TriggerArea<MfaDeps> = {
  name: 'user-pool-triggers',
  compose: (config: TriggerConfig) => ({ mfa: cognitoMfaSettings(cognitoClient(config)) }),
};
