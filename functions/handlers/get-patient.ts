import { getPatientDetails } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.getPatient, deps, async ({ identity, pathParameters }) => {
    const details = await getPatientDetails(identity, pathParameters.patientId, deps);
    const patientId = details.patient.userId;
    return { body: details, audit: [{ patientId, targetId: patientId }] };
  }),
);
