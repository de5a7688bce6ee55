import { listPatientVisits } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.listPatientVisits, deps, async ({ identity, pathParameters, query }) => {
    const { patientId } = pathParameters;
    const page = await listPatientVisits(identity, patientId, query.cursor, query.limit, deps);
    // One entry per page: the patient's history (visits and notes) was read, even when empty.
    return { body: page, audit: [{ patientId, targetId: patientId }] };
  }),
);
