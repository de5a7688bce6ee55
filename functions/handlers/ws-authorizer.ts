import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { wsAuthorizerArea } from '../adapters/wiring/ws-authorizer';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { withinSessionMaximum } from '../core/sessions';
import { identityFromClaims } from '../lib/identity';
import { logger } from '../lib/logger';

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
      let identity;
      try {
        identity = identityFromClaims(await deps.verifier.verify(token));
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
      return {
        principalId: identity.userId,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
        },
        context: { userId: identity.userId, role: identity.role },
      };
    },
);
