/** Composition root for a patient's data export: reads only, plus its audit entry. */
import type { DataExportDeps } from '../../core/data-rights';
import { systemClock } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { dynamoAppointments } from '../dynamo/appointments';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoChat, dynamoConsents } from '../dynamo/live';
import { dynamoProfiles } from '../dynamo/profiles';
import { listOutbox } from '../sms/outbox';
import { dynamoVisitQuality } from '../dynamo/visit-quality';
import type { Area, Overrides } from './area';
import { sessionsOf } from './session-check';

export type DataExportAreaDeps = DataExportDeps & HttpDeps;

export function composeDataExport(config: Config, overrides: Overrides = {}): DataExportAreaDeps {
  const table = dynamoTable(config);
  return {
    profiles: dynamoProfiles(table),
    appointments: dynamoAppointments(table),
    chat: dynamoChat(table),
    consents: dynamoConsents(table),
    visitQuality: dynamoVisitQuality(table),
    // Only the outbox keeps texts; Twilio's copies are not ours to read back.
    outbox:
      config.smsProvider === 'outbox'
        ? { list: (recipientId, cursor, limit) => listOutbox(table, recipientId, cursor, limit) }
        : undefined,
    audit: dynamoAudit(table),
    clock: overrides.clock ?? systemClock,
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
  };
}

export const dataExportArea: Area<DataExportAreaDeps> = { name: 'data-export', compose: composeDataExport };
