import { getOwnAppointment } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.getAppointment, deps, async ({ identity, pathParameters }) => {
    const appointment = await getOwnAppointment(identity, pathParameters.appointmentId, deps);
    return {
      body: { appointment },
      audit: [{ patientId: appointment.patientId, targetId: appointment.appointmentId }],
    };
  }),
);
