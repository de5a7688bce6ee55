import { getPatientDetails } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.getPatient, async ({ identity, pathParameters }) => ({
  body: await getPatientDetails(identity, pathParameters.patientId, appointmentDeps),
}));
