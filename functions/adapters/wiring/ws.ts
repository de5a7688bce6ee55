/** Composition root for the WebSocket API: replies via @connections, the frame rate limit, $connect. */
import type { ConnectionDeps } from '../../core/connections';
import { systemClock } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { WsDeps } from '../../lib/ws';
import { dynamoTable, type DynamoTable } from '../dynamo/client';
import { dynamoConnections, dynamoFrameRateLimiter } from '../dynamo/connections';
import { managementApi, sendFrame, type ManagementApi } from '../realtime';
import type { Area } from './area';

/** The @connections API of the configured WebSocket API (its client is created on first use). */
export function connectionsApi(config: Config): ManagementApi {
  return managementApi({
    endpoint: config.wsManagementEndpoint,
    region: config.region,
    localCredentials: config.dynamodbEndpoint !== undefined,
  });
}

export function wsDeps(table: DynamoTable, api: ManagementApi): WsDeps {
  const connections = dynamoConnections(table);
  const limiter = dynamoFrameRateLimiter(table);
  return {
    reply: (connectionId, frame) => sendFrame(connectionId, frame, connections.delete, api),
    allowFrame: (connectionId, now) => limiter.allow(connectionId, now),
  };
}

export interface WsAreaDeps {
  ws: WsDeps;
  connections: ConnectionDeps;
}

/**
 * No clock override: connection lifetimes are checked against real time (DynamoDB TTL and the
 * readers), so records are written on the system clock too.
 */
export function composeWs(config: Config): WsAreaDeps {
  const table = dynamoTable(config);
  const connections = dynamoConnections(table);
  return {
    ws: wsDeps(table, connectionsApi(config)),
    connections: { connections: { open: (record) => connections.put(record) }, clock: systemClock },
  };
}

export const wsArea: Area<WsAreaDeps> = { name: 'ws', compose: composeWs };
