import type { Role } from '../../shared/roles';
import type { Clock, ConnectionRegistry } from './ports';

export interface ConnectionDeps {
  connections: ConnectionRegistry;
  clock: Clock;
}

/** API Gateway closes every WebSocket after two hours; the record expires with it. */
export const MAX_CONNECTION_SECONDS = 2 * 60 * 60;

/** Remembers who is on a newly opened WebSocket connection until it can no longer exist. */
export async function openConnection(
  caller: { userId: string; role: Role | 'guest' },
  connectionId: string,
  deps: ConnectionDeps,
) {
  const now = deps.clock.now().getTime();
  await deps.connections.open({
    connectionId,
    userId: caller.userId,
    role: caller.role,
    connectedAt: new Date(now).toISOString(),
    expiresAt: Math.floor(now / 1000) + MAX_CONNECTION_SECONDS,
  });
}
