/** Composition root for the WebSocket $connect authorizer: the ID-token verifier only. */
import { tokenVerifier } from '../cognito/token-verifier';

export const wsTokenVerifier = tokenVerifier();
