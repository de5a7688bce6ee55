import { fhirFileName } from '../../shared/fhir';
import { exportVisit } from '../core/ehr-export';
import { fhirArea } from '../adapters/wiring/fhir';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(fhirArea, (deps) =>
  http(routes.fhirEncounterEverything, deps, async ({ identity, pathParameters }) => {
    const { appointmentId } = pathParameters;
    const { bundle, patientId } = await exportVisit(identity, appointmentId, deps);
    return {
      body: bundle,
      headers: {
        'Content-Disposition': `attachment; filename="${fhirFileName('visit', appointmentId, bundle.timestamp)}"`,
      },
      audit: [{ patientId, targetId: appointmentId }],
    };
  }),
);
