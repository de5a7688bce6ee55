import type {
  CallQualitySummary,
  VisitFeedbackRequest,
  VisitQualityQuery,
} from '../../shared/visit-feedback';
import { client } from './api';

/** The REST calls of feedback after a visit, the call-quality summary and the admins' report. */
export const feedbackApi = {
  leave: (appointmentId: string, feedback: VisitFeedbackRequest) =>
    client.call('leaveVisitFeedback', { appointmentId }, feedback),
  /** keepalive: the summary is often sent as the page closes. */
  sendQuality: (appointmentId: string, summary: CallQualitySummary) =>
    client.call('sendCallQuality', { appointmentId }, summary, { keepalive: true }),
  report: (query: Partial<Record<keyof VisitQualityQuery, string>>) =>
    client.call('visitQualityReport', { query }),
};
