import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../../lib/config';

export const cognitoClient = new CognitoIdentityProviderClient({
  region: config.region,
  ...(config.cognitoLocalEndpoint
    ? {
        endpoint: config.cognitoLocalEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }
    : {}),
});
