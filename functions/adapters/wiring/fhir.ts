/** Composition root for the read-only FHIR routes: reads only, plus their audit entries. */
import type { EhrExportDeps } from '../../core/ehr-export';
import type { AuditLog } from '../../core/ports';
import { systemClock } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { dynamoAppointments } from '../dynamo/appointments';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoChat } from '../dynamo/live';
import { dynamoProfiles } from '../dynamo/profiles';
import type { Area, Overrides } from './area';
import { sessionsOf } from './session-check';

export type FhirAreaDeps = EhrExportDeps & HttpDeps & { audit: AuditLog };

export function composeFhir(config: Config, overrides: Overrides = {}): FhirAreaDeps {
  const table = dynamoTable(config);
  return {
    profiles: dynamoProfiles(table),
    appointments: dynamoAppointments(table),
    chat: dynamoChat(table),
    audit: dynamoAudit(table),
    clock: overrides.clock ?? systemClock,
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
  };
}

export const fhirArea: Area<FhirAreaDeps> = { name: 'fhir', compose: composeFhir };
