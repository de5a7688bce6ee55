import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { wsAuthorizerArea } from '../adapters/wiring/ws-authorizer';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { withinSessionMaximum } from '../core/sessions';
import { identityFromClaims } from '../lib/identity';
import { logger } from '../lib/logger';
import { correlationId } from '../lib/telemetry';
import { MFA_CLAIM, mfaEnrolmentRequired } from '../../shared/policy';

function policy(principalId: string, effect: 'Allow' | 'Deny', resource: string): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
  };
}

/**
 * REQUEST authorizer of the WebSocket API's $connect: browsers cannot set headers on a WebSocket,
 * so the ID token travels in the `token` query parameter (and the page's correlation id in
 * `correlationId`, handed to every action of the connection). A missing, invalid, expired or ended
 * token is a routine refusal (so is an ended visit session, `?pass=`, docs/adr/0021-visit-passes.md), answered with a Deny policy (API Gateway refuses the upgrade with
 * 403) and logged at info; only a real failure (the session store unreachable) throws, so the
 * function's Errors alarm means something is broken.
 */
export const { area, create, handler } = lambdaHandler(
  wsAuthorizerArea,
  (deps) =>
    async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
      const correlation = correlationId(event.queryStringParameters?.correlationId);
      const refuse = (reason: string) => {
        logger.info('ws connect refused', { reason, correlationId: correlation });
        return policy('anonymous', 'Deny', event.methodArn);
      };
      const pass = event.queryStringParameters?.pass;
      if (pass && !event.queryStringParameters?.token) {
        // A visit session (docs/adr/0021-visit-passes.md): this visit only, until it ends.
        const session = pass.length <= 64 ? await deps.visitSessions.verify(pass) : undefined;
        if (!session) return refuse('visit session ended');
        return {
          ...policy(session.holderId, 'Allow', event.methodArn),
          context: {
            userId: session.holderId,
            role: session.holder,
            appointmentId: session.appointmentId,
            via: 'pass',
            correlationId: correlation,
          },
        };
      }
      const token = event.queryStringParameters?.token;
      if (!token) return refuse('no token');
      let identity, claims;
      try {
        claims = await deps.verifier.verify(token);
        identity = identityFromClaims(claims);
      } catch {
        return refuse('invalid token');
      }
      if (!identity) return refuse('no role');
      if (!withinSessionMaximum(identity, Date.now() / 1000)) return refuse('session expired');
      if (!(await deps.sessions.isCurrent(identity.userId, identity.authenticatedAt))) {
        return refuse('session ended');
      }
      // Staff without two-step sign-in (shared/policy.ts).
      if (mfaEnrolmentRequired(identity.role, claims[MFA_CLAIM])) return refuse('mfa enrollment required');
      return {
        ...policy(identity.userId, 'Allow', event.methodArn),
        context: { userId: identity.userId, role: identity.role, correlationId: correlation },
      };
    },
);
