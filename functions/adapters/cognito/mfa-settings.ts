import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { MfaSettings } from '../../core/mfa';

/** AdminGetUser's `UserMFASettingList` lists the MFA methods the user has enabled. */
export function cognitoMfaSettings(client: CognitoIdentityProviderClient): MfaSettings {
  return {
    async totpEnabled(userPoolId, username) {
      const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
      return (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA');
    },
  };
}
