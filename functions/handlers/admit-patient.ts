import { admitPatient } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.admitPatient, async ({ identity, pathParameters, body }) => ({
  body: {
    appointment: await admitPatient(identity, pathParameters.appointmentId, body.consentVersion, liveDeps),
  },
}));
