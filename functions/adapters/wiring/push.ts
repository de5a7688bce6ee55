/** Frames pushed to users' WebSocket connections (capability `realtime`) through @connections. */
import type { Realtime } from '../../core/ports';
import { logger } from '../../lib/logger';
import { dynamoConnections } from '../dynamo/connections';
import { apiGatewayRealtime, type ManagementApi } from '../realtime';
import type { AppointmentsContext } from './appointments';
import { connectionsApi } from './ws';

/** `api`: the composition's @connections API when it already has one (the WebSocket actions). */
export function realtimePushes(
  { config, table, overrides }: AppointmentsContext,
  api: ManagementApi = connectionsApi(config, overrides),
): Realtime {
  const connections = dynamoConnections(table);
  return apiGatewayRealtime({
    listForUser: (id) => connections.listForUser(id),
    remove: connections.delete,
    api,
    warn: (message, attributes) => logger.warn(message, attributes),
  });
}
