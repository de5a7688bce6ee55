import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ServerFrame } from '../../shared/live';
import type { ConnectionRecord, Realtime } from '../core/ports';

/** The @connections API of the WebSocket API; its client is created on first use. */
export interface ManagementApi {
  client(): ApiGatewayManagementApiClient;
}

export interface ManagementApiOptions {
  /** The @connections endpoint (WS_MANAGEMENT_ENDPOINT), from config on AWS and locally alike. */
  endpoint: string | undefined;
  region: string;
  /** The local gateway checks no signature: sign with placeholder credentials. */
  localCredentials?: boolean;
}

export function managementApi(options: ManagementApiOptions): ManagementApi {
  let client: ApiGatewayManagementApiClient | undefined;
  return {
    client() {
      if (!options.endpoint) throw new Error('WS_MANAGEMENT_ENDPOINT is not configured');
      client ??= new ApiGatewayManagementApiClient({
        region: options.region,
        endpoint: options.endpoint,
        ...(options.localCredentials
          ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
          : {}),
      });
      return client;
    },
  };
}

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
    await api
      .client()
      .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(frame) }));
    return true;
  } catch (err) {
    if (err instanceof GoneException || (err as { name?: string }).name === 'GoneException') {
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
    await api.client().send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
  } catch (err) {
    if (err instanceof GoneException || (err as { name?: string }).name === 'GoneException') {
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
