import type { Identity } from './identity';
import type { OutboxReader } from './ports';

export interface OutboxDeps {
  outbox: OutboxReader;
}

/** Admins see every text in the local outbox; everyone else only the texts sent to them. */
export function readOutbox(
  identity: Pick<Identity, 'userId' | 'role'>,
  cursor: string | undefined,
  limit: number,
  deps: OutboxDeps,
) {
  return deps.outbox.list(identity.role === 'admin' ? undefined : identity.userId, cursor, limit);
}
