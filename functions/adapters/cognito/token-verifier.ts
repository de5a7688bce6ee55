import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { Config } from '../../lib/config';

export interface TokenVerifier {
  /** Verifies signature, issuer, audience (app client), token use `id` and expiry; throws otherwise. */
  verify(token: string): Promise<JwtPayload>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * cognito-local's signing key is public, so its tokens are accepted only when the configured
 * endpoint is cognito-local on this machine. On AWS `COGNITO_LOCAL_ENDPOINT` is never set and
 * Cognito's own verifier (https JWKS, Cognito issuer format) is used.
 */
export function localTokenVerifier(endpoint: string, userPoolId: string, clientId: string): TokenVerifier {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error('The local token verifier only trusts cognito-local on loopback');
  }
  const issuer = `${endpoint.replace(/\/$/, '')}/${userPoolId}`;
  const verifier = JwtRsaVerifier.create(
    {
      issuer,
      audience: clientId,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new Error('Not an ID token');
      },
    },
    {
      jwksCache: new SimpleJwksCache({
        fetcher: {
          async fetch(uri: string) {
            const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
            if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`);
            return response.arrayBuffer();
          },
        },
      }),
    },
  );
  return { verify: (token) => verifier.verify(token) };
}

export function tokenVerifier(
  config: Pick<Config, 'cognitoLocalEndpoint'> & { userPoolId: string; userPoolClientId: string },
): TokenVerifier {
  const { userPoolId, userPoolClientId } = config;
  if (config.cognitoLocalEndpoint) {
    return localTokenVerifier(config.cognitoLocalEndpoint, userPoolId, userPoolClientId);
  }
  const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'id', clientId: userPoolClientId });
  return { verify: (token) => verifier.verify(token) };
}
