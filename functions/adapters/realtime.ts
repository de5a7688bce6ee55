import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ServerFrame } from '../../shared/live';
import type { ConnectionRecord, Realtime } from '../core/ports';
import { config } from '../lib/config';

let client: ApiGatewayManagementApiClient | undefined;

/** The @connections endpoint comes from config on AWS and locally alike. */
function managementClient(endpoint: string | undefined): ApiGatewayManagementApiClient {
  if (!endpoint) throw new Error('WS_MANAGEMENT_ENDPOINT is not configured');
  client ??= new ApiGatewayManagementApiClient({
    region: config.region,
    endpoint,
    ...(config.dynamodbEndpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return client;
}

/**
 * Sends one frame to one connection. Returns false when the connection is gone, after calling
 * `onGone` so the caller can forget it.
 */
export async function sendFrame(
  connectionId: string,
  frame: unknown,
  onGone: (connectionId: string) => Promise<void>,
  endpoint = config.wsManagementEndpoint,
): Promise<boolean> {
  try {
    await managementClient(endpoint).send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(frame) }),
    );
    return true;
  } catch (err) {
    if (err instanceof GoneException || (err as { name?: string }).name === 'GoneException') {
      await onGone(connectionId);
      return false;
    }
    throw err;
  }
}

export interface RealtimeDeps {
  listForUser(userId: string): Promise<ConnectionRecord[]>;
  remove(connectionId: string): Promise<void>;
  endpoint?: string;
  /** A push that fails (not a gone connection) is logged, never thrown at the caller's change. */
  warn?: (message: string, attributes: Record<string, unknown>) => void;
}

/** Fans a frame out to every live connection of a user (optionally only those in one call). */
export function apiGatewayRealtime(deps: RealtimeDeps): Realtime {
  const send = (connectionId: string, frame: ServerFrame) =>
    sendFrame(connectionId, frame, deps.remove, deps.endpoint ?? config.wsManagementEndpoint);
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
