/** Composition root for the WebSocket $connect authorizer: the ID-token verifier and the session check. */
import type { SessionCheck } from '../../core/sessions';
import { userPoolOf, type Config } from '../../lib/config';
import { tokenVerifier, type TokenVerifier } from '../cognito/token-verifier';
import type { Area, Overrides } from './area';
import { systemClock } from '../../core/ports';
import { visitSessionCheck, type VisitSessionCheck } from '../../core/visit-passes';
import { dynamoTable } from '../dynamo/client';
import { dynamoVisitPasses } from '../dynamo/visit-passes';
import { sessionsOf } from './session-check';

export interface WsAuthorizerDeps {
  verifier: TokenVerifier;
  sessions: SessionCheck;
  visitSessions: VisitSessionCheck;
}

export const wsAuthorizerArea: Area<WsAuthorizerDeps> = {
  name: 'ws-authorizer',
  compose: (config: Config, overrides?: Overrides) => ({
    verifier: tokenVerifier({ ...config, ...userPoolOf(config) }),
    sessions: sessionsOf(config),
    visitSessions: visitSessionCheck(dynamoVisitPasses(dynamoTable(config)), overrides?.clock ?? systemClock),
  }),
};
