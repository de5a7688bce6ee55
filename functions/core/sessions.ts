import { SESSION_MAX_HOURS } from '../../shared/policy';
import type { Identity } from './identity';
import type { AuditLog, Clock, ConnectionCloser, ConnectionRecord, SessionStore } from './ports';

/**
 * Whether a sign-in at `authenticatedAt` (epoch seconds, the token's `auth_time`/`iat`) outlives the
 * user's last "sign out everywhere" at `validAfter`. Token times have one-second resolution, so a
 * sign-in within the very second of the sign-out is refused too: refusing one legitimate sign-in
 * made in that second is the price of never letting a token issued just before it through.
 */
export function sessionIsCurrent(
  authenticatedAt: number | undefined,
  validAfter: number | undefined,
): boolean {
  if (validAfter === undefined) return true;
  return authenticatedAt !== undefined && authenticatedAt > validAfter;
}

/**
 * Staff (doctors, admins) sign in at least every `SESSION_MAX_HOURS` (12): Cognito has one refresh
 * token validity per app client (7 days, the patients' maximum), and a refreshed token keeps the
 * sign-in's `auth_time`, so a staff token whose sign-in is older is refused. `nowSeconds` is real
 * time, as for the token's own expiry: both are times Cognito wrote into the token.
 */
export function withinSessionMaximum(
  identity: Pick<Identity, 'role' | 'authenticatedAt'>,
  nowSeconds: number,
): boolean {
  if (identity.role === 'patient') return true;
  return (
    identity.authenticatedAt !== undefined &&
    nowSeconds - identity.authenticatedAt <= SESSION_MAX_HOURS * 3600
  );
}

/** The request path's question: is this caller's sign-in still current? */
export interface SessionCheck {
  isCurrent(userId: string, authenticatedAt: number | undefined): Promise<boolean>;
}

/** A session check that also ends sessions, keeping its own cache in step. */
export interface Sessions extends SessionCheck {
  endSessions(userId: string, validAfter: number): Promise<void>;
}

/**
 * Caches each user's valid-after for `ttlMs` (per Lambda container): the check costs one GetItem per
 * user and container at most every `ttlMs`. Ending sessions through it updates its cache at once;
 * other containers keep what they read for up to `ttlMs`.
 */
export function cachedSessions(store: SessionStore, options: { ttlMs: number; now: () => number }): Sessions {
  const cache = new Map<string, { validAfter: number | undefined; readAt: number }>();
  async function validAfter(userId: string) {
    const now = options.now();
    const hit = cache.get(userId);
    if (hit && now - hit.readAt < options.ttlMs) return hit.validAfter;
    const value = await store.validAfter(userId);
    cache.set(userId, { validAfter: value, readAt: now });
    return value;
  }
  return {
    async isCurrent(userId, authenticatedAt) {
      return sessionIsCurrent(authenticatedAt, await validAfter(userId));
    },
    async endSessions(userId, after) {
      await store.endSessions(userId, after);
      cache.set(userId, { validAfter: after, readAt: options.now() });
    },
  };
}

/** What ending a user's sessions needs: the valid-after store, their sockets, and real time. */
export interface EndSessionsDeps {
  sessions: Pick<Sessions, 'endSessions'>;
  connections: { listForUser(userId: string): Promise<ConnectionRecord[]> };
  closer: ConnectionCloser;
  /** Real time: it is compared with the times Cognito writes into tokens. */
  sessionClock: Clock;
}

export interface SignOutDeps extends EndSessionsDeps {
  audit: AuditLog;
  sleep(ms: number): Promise<void>;
}

/**
 * Every token of the user issued up to now is refused from here on (REST and WebSocket
 * `$connect`), and the user's open WebSocket connections are closed. Returns the sign-out's time
 * (epoch ms) and how many connections were closed.
 */
export async function endAllSessions(
  userId: string,
  deps: EndSessionsDeps,
): Promise<{ endedAtMs: number; closedConnections: number }> {
  const now = deps.sessionClock.now().getTime();
  // First, so that a socket closed below cannot come back with the same token.
  await deps.sessions.endSessions(userId, Math.floor(now / 1000));
  const connections = await deps.connections.listForUser(userId);
  await Promise.all(connections.map((c) => deps.closer.close(c.connectionId)));
  return { endedAtMs: now, closedConnections: connections.length };
}

/** "Sign out everywhere": ends every session of the caller, and answers once a new sign-in counts. */
export async function signOutEverywhere(
  identity: Identity,
  requestId: string | undefined,
  deps: SignOutDeps,
): Promise<{ closedConnections: number }> {
  const { endedAtMs, closedConnections } = await endAllSessions(identity.userId, deps);
  // Answer only once the second of the sign-out is over: a sign-in the user starts after the
  // answer is then always accepted, though token times count whole seconds.
  await deps.sleep((Math.floor(endedAtMs / 1000) + 1) * 1000 - deps.sessionClock.now().getTime());
  await deps.audit.record({
    action: 'session.signOutEverywhere',
    actorId: identity.userId,
    targetId: identity.userId,
    requestId,
  });
  return { closedConnections };
}
