/** Composition root for the WebSocket API: replies via @connections, the frame rate limit, $connect. */
import type { ConnectionDeps } from '../../core/connections';
import { systemClock, type Clock } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { WsDeps } from '../../lib/ws';
import { dynamoTable, type DynamoTable } from '../dynamo/client';
import { leasedFrameRateLimiter } from '../../core/frame-budget';
import { dynamoConnections, dynamoFrameCounter } from '../dynamo/connections';
import { managementApi, sendFrame, type ManagementApi } from '../realtime';
import type { Area, Overrides } from './area';

/**
 * The @connections API of the configured WebSocket API (its client is created on first use), or the
 * local gateway's own when the platform hands it in.
 */
export function connectionsApi(config: Config, overrides?: Overrides): ManagementApi {
  if (overrides?.connections) return overrides.connections;
  return managementApi({
    endpoint: config.wsManagementEndpoint,
    region: config.region,
    localCredentials: config.dynamodbEndpoint !== undefined,
  });
}

/** `clock` paces the frame rate limit (the local platform's tests move it instead of waiting). */
export function wsDeps(table: DynamoTable, api: ManagementApi, clock: Clock = systemClock): WsDeps {
  const connections = dynamoConnections(table);
  const limiter = leasedFrameRateLimiter(dynamoFrameCounter(table));
  return {
    reply: (connectionId, frame) => sendFrame(connectionId, frame, connections.delete, api),
    allowFrame: (connectionId) => limiter.allow(connectionId, clock.now().getTime()),
  };
}

export interface WsAreaDeps {
  ws: WsDeps;
  connections: ConnectionDeps;
}

/**
 * Connection lifetimes stay on real time (DynamoDB TTL and the readers check them), so records are
 * written on the system clock; a clock override paces only the frame rate limit.
 */
export function composeWs(config: Config, overrides?: Overrides): WsAreaDeps {
  const table = dynamoTable(config);
  const connections = dynamoConnections(table);
  return {
    ws: wsDeps(table, connectionsApi(config, overrides), overrides?.clock),
    connections: { connections: { open: (record) => connections.put(record) }, clock: systemClock },
  };
}

export const wsArea: Area<WsAreaDeps> = { name: 'ws', compose: composeWs };
