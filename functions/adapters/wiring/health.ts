/** Composition root for the health check. */
import type { HealthDeps } from '../../core/health';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { dynamoTable } from '../dynamo/client';
import { dynamoTableProbe } from '../dynamo/health';
import type { Area } from './area';
import { sessionsOf } from './session-check';

export type HealthAreaDeps = HealthDeps & HttpDeps;

export function composeHealth(config: Config): HealthAreaDeps {
  return {
    probeTable: dynamoTableProbe(dynamoTable(config)),
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
  };
}

export const healthArea: Area<HealthAreaDeps> = { name: 'health', compose: composeHealth };
