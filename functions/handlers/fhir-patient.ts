import { readFhirPatient } from '../core/ehr-export';
import { fhirArea } from '../adapters/wiring/fhir';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(fhirArea, (deps) =>
  http(routes.fhirPatient, deps, async ({ identity, pathParameters }) => {
    const { patientId } = pathParameters;
    const patient = await readFhirPatient(identity, patientId, deps);
    return { body: patient, audit: [{ patientId, targetId: patientId }] };
  }),
);
