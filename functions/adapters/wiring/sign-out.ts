/** Composition root for "sign out everywhere": sessions, the user's connections and @connections. */
import { systemClock } from '../../core/ports';
import type { SignOutDeps } from '../../core/sessions';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoConnections } from '../dynamo/connections';
import { closeConnection } from '../realtime';
import type { Area, Overrides } from './area';
import { sessionsOf } from './session-check';
import { connectionsApi } from './ws';

export type SignOutAreaDeps = SignOutDeps & HttpDeps;

/**
 * Token times are Cognito's real time, so the sign-out is stamped on the system clock even where
 * the local platform injects a test clock.
 */
export function composeSignOut(config: Config, overrides?: Overrides): SignOutAreaDeps {
  const table = dynamoTable(config);
  const connections = dynamoConnections(table);
  const api = connectionsApi(config, overrides);
  const sessions = sessionsOf(config);
  return {
    sessions,
    connections: { listForUser: (userId) => connections.listForUser(userId) },
    closer: { close: (connectionId) => closeConnection(connectionId, connections.delete, api) },
    audit: dynamoAudit(table),
    sessionClock: systemClock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    allowedOrigins: config.allowedOrigins,
  };
}

export const signOutArea: Area<SignOutAreaDeps> = { name: 'sign-out', compose: composeSignOut };
