import { dataExportFileName } from '../../shared/data-rights';
import { exportPatientData } from '../core/data-rights';
import { dataExportArea } from '../adapters/wiring/data-export';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(dataExportArea, (deps) =>
  http(routes.exportMyData, deps, async ({ identity }) => {
    const data = await exportPatientData(identity, deps);
    return {
      body: data,
      headers: { 'Content-Disposition': `attachment; filename="${dataExportFileName(data.exportedAt)}"` },
      audit: [{ patientId: identity.userId, targetId: identity.userId }],
    };
  }),
);
