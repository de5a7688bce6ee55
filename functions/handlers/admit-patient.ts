import { admitPatient } from '../core/live';
import { liveArea } from '../adapters/wiring/live';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { telemetry } from '../lib/telemetry';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(liveArea, (deps) =>
  http(routes.admitPatient, deps, async ({ identity, pathParameters, body }) => {
    const appointment = await admitPatient(identity, pathParameters.appointmentId, body.consentVersion, deps);
    telemetry.timeToAdmit(appointment);
    return { body: { appointment } };
  }),
);
