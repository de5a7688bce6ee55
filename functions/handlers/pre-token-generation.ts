import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { MFA_CLAIM } from '../../shared/policy';
import { recordSignIn } from '../core/doctor-accounts';
import { mfaClaim } from '../core/mfa';
import { userPoolTriggersArea } from '../adapters/wiring/user-pool-triggers';
import { lambdaHandler } from '../adapters/wiring/lambda';

/**
 * Cognito's PreTokenGeneration trigger: every ID token (sign-in and refresh) carries `mfa`, read from
 * the user's MFA settings, so the API can require two-step sign-in of staff (shared/policy.ts). A
 * sign-in (not a refresh) is recorded on the profile: the admin console's "last sign-in".
 */
export const { area, create, handler } = lambdaHandler(
  userPoolTriggersArea,
  (deps) =>
    async function preTokenGeneration(
      event: PreTokenGenerationTriggerEvent,
    ): Promise<PreTokenGenerationTriggerEvent> {
      const [mfa] = await Promise.all([
        mfaClaim(event.userPoolId, event.userName, deps),
        event.triggerSource === 'TokenGeneration_RefreshTokens' || !event.request.userAttributes.sub
          ? undefined
          : recordSignIn(event.request.userAttributes.sub, deps),
      ]);
      const details = event.response?.claimsOverrideDetails ?? {};
      event.response = {
        claimsOverrideDetails: {
          ...details,
          claimsToAddOrOverride: { ...details.claimsToAddOrOverride, [MFA_CLAIM]: mfa },
        },
      };
      return event;
    },
);
