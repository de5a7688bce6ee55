import { readFhirEncounter } from '../core/ehr-export';
import { fhirArea } from '../adapters/wiring/fhir';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(fhirArea, (deps) =>
  http(routes.fhirEncounter, deps, async ({ identity, pathParameters }) => {
    const { appointmentId } = pathParameters;
    const { encounter, patientId } = await readFhirEncounter(identity, appointmentId, deps);
    return { body: encounter, audit: [{ patientId, targetId: appointmentId }] };
  }),
);
