/** Composition root for feedback after visits, call-quality summaries and the admins' report. */
import type { VisitFeedbackDeps } from '../../core/visit-feedback';
import { systemClock } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { telemetry } from '../../lib/telemetry';
import { dynamoAppointments } from '../dynamo/appointments';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoVisitQuality } from '../dynamo/visit-quality';
import type { Area, Overrides } from './area';
import { sessionsOf } from './session-check';

export type FeedbackAreaDeps = VisitFeedbackDeps & HttpDeps;

export function composeFeedback(config: Config, overrides: Overrides = {}): FeedbackAreaDeps {
  const table = dynamoTable(config);
  return {
    appointments: dynamoAppointments(table),
    visitQuality: dynamoVisitQuality(table),
    audit: dynamoAudit(table),
    clock: overrides.clock ?? systemClock,
    metrics: telemetry,
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
  };
}

export const feedbackArea: Area<FeedbackAreaDeps> = { name: 'feedback', compose: composeFeedback };
