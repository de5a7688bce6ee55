/** Composition root for the WebSocket $connect authorizer: the ID-token verifier only. */
import type { Config } from '../../lib/config';
import { tokenVerifier, type TokenVerifier } from '../cognito/token-verifier';
import type { Area } from './area';

export interface WsAuthorizerDeps {
  verifier: TokenVerifier;
}

export const wsAuthorizerArea: Area<WsAuthorizerDeps> = {
  name: 'ws-authorizer',
  compose: (config: Config) => ({ verifier: tokenVerifier(config) }),
};
