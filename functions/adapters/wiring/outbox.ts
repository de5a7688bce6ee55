/** Composition root for the development page that lists the local SMS outbox. */
import type { OutboxDeps } from '../../core/outbox';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { dynamoTable } from '../dynamo/client';
import { listOutbox } from '../sms/outbox';
import type { Area } from './area';
import { sessionsOf } from './session-check';

export type OutboxAreaDeps = OutboxDeps & HttpDeps;

export function composeOutbox(config: Config): OutboxAreaDeps {
  const table = dynamoTable(config);
  return {
    outbox: { list: (recipientId, cursor, limit) => listOutbox(table, recipientId, cursor, limit) },
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
  };
}

export const outboxArea: Area<OutboxAreaDeps> = { name: 'outbox', compose: composeOutbox };
