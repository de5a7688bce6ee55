/** Composition root for the development page that lists the local SMS outbox. */
import type { OutboxDeps } from '../../core/outbox';
import { listOutbox } from '../sms/outbox';

export const outboxDeps: OutboxDeps = { outbox: { list: listOutbox } };
