import { fhirFileName } from '../../shared/fhir';
import { exportPatient } from '../core/ehr-export';
import { fhirArea } from '../adapters/wiring/fhir';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(fhirArea, (deps) =>
  http(routes.fhirPatientEverything, deps, async ({ identity, pathParameters }) => {
    const { patientId } = pathParameters;
    const bundle = await exportPatient(identity, patientId, deps);
    return {
      body: bundle,
      headers: {
        'Content-Disposition': `attachment; filename="${fhirFileName('patient', patientId, bundle.timestamp)}"`,
      },
      audit: [{ patientId, targetId: patientId }],
    };
  }),
);
