import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { wsAuthorizerArea } from '../adapters/wiring/ws-authorizer';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { withinSessionMaximum } from '../core/sessions';
import { identityFromClaims } from '../lib/identity';
import { logger } from '../lib/logger';
import { MFA_CLAIM, mfaEnrolmentRequired } from '../../shared/policy';

/**
 * REQUEST authorizer of the WebSocket API's $connect: browsers cannot set headers on a WebSocket,
 * so the ID token travels in the `token` query parameter. Throwing "Unauthorized" makes API Gateway
 * refuse the upgrade with 401.
 */
export const { area, create, handler } = lambdaHandler(
  wsAuthorizerArea,
  (deps) =>
    async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
      const token = event.queryStringParameters?.token;
      if (!token) throw new Error('Unauthorized');
      let identity, claims;
      try {
        claims = await deps.verifier.verify(token);
        identity = identityFromClaims(claims);
      } catch {
        logger.info('ws connect refused', { reason: 'invalid token' });
        throw new Error('Unauthorized');
      }
      if (!identity) throw new Error('Unauthorized');
      if (!withinSessionMaximum(identity, Date.now() / 1000)) {
        logger.info('ws connect refused', { reason: 'session expired' });
        throw new Error('Unauthorized');
      }
      if (!(await deps.sessions.isCurrent(identity.userId, identity.authenticatedAt))) {
        logger.info('ws connect refused', { reason: 'session ended' });
        throw new Error('Unauthorized');
      }
      // Staff without two-step sign-in: a Deny policy, which API Gateway answers with 403.
      const effect = mfaEnrolmentRequired(identity.role, claims[MFA_CLAIM]) ? 'Deny' : 'Allow';
      if (effect === 'Deny') logger.info('ws connect refused', { reason: 'mfa enrollment required' });
      return {
        principalId: identity.userId,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }],
        },
        context: { userId: identity.userId, role: identity.role },
      };
    },
);
