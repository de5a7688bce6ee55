import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ServerFrame } from '../../shared/live';
import type { ConnectionRecord, Realtime } from '../core/ports';

/**
 * The @connections API of the WebSocket API: on AWS the signed management endpoint
 * (`managementApi`); the local platform may hand in its gateway's connections directly. A
 * connection that is gone fails with an error named `GoneException`.
 */
export interface ManagementApi {
  post(connectionId: string, data: string): Promise<void>;
  delete(connectionId: string): Promise<void>;
}

export interface ManagementApiOptions {
  /** The @connections endpoint (WS_MANAGEMENT_ENDPOINT), from config on AWS and locally alike. */
  endpoint: string | undefined;
  region: string;
  /** The local gateway checks no signature: sign with placeholder credentials. */
  localCredentials?: boolean;
}

/** The signed @connections endpoint; its client is created on first use. */
export function managementApi(options: ManagementApiOptions): ManagementApi {
  let created: ApiGatewayManagementApiClient | undefined;
  const client = () => {
    if (!options.endpoint) throw new Error('WS_MANAGEMENT_ENDPOINT is not configured');
    created ??= new ApiGatewayManagementApiClient({
      region: options.region,
      endpoint: options.endpoint,
      ...(options.localCredentials
        ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
    return created;
  };
  return {
    async post(connectionId, data) {
      await client().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
    },
    async delete(connectionId) {
      await client().send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    },
  };
}

const isGone = (err: unknown) =>
  err instanceof GoneException || (err as { name?: string }).name === 'GoneException';

/**
 * Sends one frame to one connection. Returns false when the connection is gone, after calling
 * `onGone` so the caller can forget it.
 */
export async function sendFrame(
  connectionId: string,
  frame: unknown,
  onGone: (connectionId: string) => Promise<void>,
  api: ManagementApi,
): Promise<boolean> {
  try {
    await api.post(connectionId, JSON.stringify(frame));
    return true;
  } catch (err) {
    if (isGone(err)) {
      await onGone(connectionId);
      return false;
    }
    throw err;
  }
}

/** Closes one connection (DeleteConnection); one already gone is forgotten, not an error. */
export async function closeConnection(
  connectionId: string,
  onGone: (connectionId: string) => Promise<void>,
  api: ManagementApi,
): Promise<void> {
  try {
    await api.delete(connectionId);
  } catch (err) {
    if (isGone(err)) {
      await onGone(connectionId);
      return;
    }
    throw err;
  }
}

export interface RealtimeDeps {
  listForUser(userId: string): Promise<ConnectionRecord[]>;
  remove(connectionId: string): Promise<void>;
  api: ManagementApi;
  /** A push that fails (not a gone connection) is logged, never thrown at the caller's change. */
  warn?: (message: string, attributes: Record<string, unknown>) => void;
}

/** Fans a frame out to every live connection of a user (optionally only those in one call). */
export function apiGatewayRealtime(deps: RealtimeDeps): Realtime {
  const send = (connectionId: string, frame: ServerFrame) =>
    sendFrame(connectionId, frame, deps.remove, deps.api);
  return {
    async toUser(userId, frame, onlyInCall) {
      const connections = await deps.listForUser(userId);
      await Promise.all(
        connections
          .filter((c) => !onlyInCall || c.callAppointmentId === onlyInCall)
          .map((c) =>
            send(c.connectionId, frame).catch((err: Error) => {
              deps.warn?.('push to connection failed', { connectionId: c.connectionId, errorName: err.name });
              return false;
            }),
          ),
      );
    },
    async toConnection(connectionId, frame) {
      await send(connectionId, frame);
    },
  };
}
