import { chatTranscript } from '../core/live';
import { liveArea } from '../adapters/wiring/live';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(liveArea, (deps) =>
  http(routes.listMessages, deps, async ({ identity, pathParameters, query }) => {
    const { page, appointment } = await chatTranscript(
      identity,
      pathParameters.appointmentId,
      query.cursor,
      query.limit,
      deps,
    );
    return {
      body: page,
      audit: [{ patientId: appointment.patientId, targetId: appointment.appointmentId }],
    };
  }),
);
