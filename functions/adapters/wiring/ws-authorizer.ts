/** Composition root for the WebSocket $connect authorizer: the ID-token verifier and the session check. */
import type { SessionCheck } from '../../core/sessions';
import { userPoolOf, type Config } from '../../lib/config';
import { tokenVerifier, type TokenVerifier } from '../cognito/token-verifier';
import type { Area } from './area';
import { sessionsOf } from './session-check';

export interface WsAuthorizerDeps {
  verifier: TokenVerifier;
  sessions: SessionCheck;
}

export const wsAuthorizerArea: Area<WsAuthorizerDeps> = {
  name: 'ws-authorizer',
  compose: (config: Config) => ({
    verifier: tokenVerifier({ ...config, ...userPoolOf(config) }),
    sessions: sessionsOf(config),
  }),
};
