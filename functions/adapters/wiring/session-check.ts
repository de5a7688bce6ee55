/** The session check every REST handler and the $connect authorizer run: one cache per container. */
import { cachedSessions, type Sessions } from '../../core/sessions';
import type { Config } from '../../lib/config';
import { dynamoTable } from '../dynamo/client';
import { dynamoSessions } from '../dynamo/sessions';

/**
 * How long a container trusts a user's valid-after it read. A sign-out reaches the container that
 * served it at once and every other container within this time: one GetItem per user, container
 * and second is the price of keeping that short.
 */
export const SESSION_CACHE_MS = 1000;

const perTable = new Map<string, Sessions>();

/** Shared by every composition in this container (the local platform's process is one container). */
export function sessionsOf(config: Pick<Config, 'region' | 'tableName' | 'dynamodbEndpoint'>): Sessions {
  const key = `${config.dynamodbEndpoint ?? ''}|${config.tableName}`;
  let sessions = perTable.get(key);
  if (!sessions) {
    sessions = cachedSessions(dynamoSessions(dynamoTable(config)), {
      ttlMs: SESSION_CACHE_MS,
      now: () => Date.now(),
    });
    perTable.set(key, sessions);
  }
  return sessions;
}
