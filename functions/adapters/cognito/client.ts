import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Config } from '../../lib/config';

export function cognitoClient(
  config: Pick<Config, 'region' | 'cognitoLocalEndpoint'>,
): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: config.region,
    ...(config.cognitoLocalEndpoint
      ? {
          endpoint: config.cognitoLocalEndpoint,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
}
