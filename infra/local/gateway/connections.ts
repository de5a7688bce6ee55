/**
 * The local WebSocket API's open connections, and the @connections API over them. The gateway's
 * `/@connections/<id>` HTTP endpoint serves from here; the platform also hands `api` to the
 * handlers' compositions (Overrides.connections), so a reply or a relay to the peer is a direct
 * send rather than a signed HTTP request to this same process. On AWS the handlers keep calling the
 * signed @connections endpoint.
 */
import type { WebSocket } from 'ws';
import type { ManagementApi } from '../../../functions/adapters/realtime';

/** API Gateway's own limit on a frame. */
export const MAX_WS_FRAME_BYTES = 128 * 1024;

export interface LocalConnection {
  socket: WebSocket;
  authorizer: Record<string, string>;
  connectedAt: number;
}

export interface LocalConnections {
  get(connectionId: string): LocalConnection | undefined;
  add(connectionId: string, connection: LocalConnection): void;
  remove(connectionId: string): void;
  all(): Iterable<LocalConnection>;
  /** PostToConnection and DeleteConnection as API Gateway answers them (GoneException included). */
  api: ManagementApi;
}

const failure = (name: string, message: string) => Object.assign(new Error(message), { name });

export function localConnections(): LocalConnections {
  const open = new Map<string, LocalConnection>();
  const existing = (connectionId: string) => {
    const entry = open.get(connectionId);
    if (!entry) throw failure('GoneException', `Connection ${connectionId} is gone`);
    return entry;
  };
  return {
    get: (connectionId) => open.get(connectionId),
    add: (connectionId, connection) => void open.set(connectionId, connection),
    remove: (connectionId) => void open.delete(connectionId),
    all: () => open.values(),
    api: {
      async post(connectionId, data) {
        const entry = existing(connectionId);
        if (Buffer.byteLength(data, 'utf8') > MAX_WS_FRAME_BYTES) {
          throw failure('PayloadTooLargeException', 'Frame too large');
        }
        entry.socket.send(data);
      },
      async delete(connectionId) {
        existing(connectionId).socket.close(1000);
      },
    },
  };
}
