import { visitQualityReport } from '../core/visit-feedback';
import { feedbackArea } from '../adapters/wiring/feedback';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(feedbackArea, (deps) =>
  http(routes.visitQualityReport, deps, async ({ query }) => {
    const { report, patientIds } = await visitQualityReport(query, deps);
    return { body: report, audit: patientIds.map((patientId) => ({ patientId })) };
  }),
);
