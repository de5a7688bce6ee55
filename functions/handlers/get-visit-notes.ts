import { readVisitNotes } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.getVisitNotes, deps, async ({ identity, pathParameters }) => {
    const { notes, appointment } = await readVisitNotes(identity, pathParameters.appointmentId, deps);
    return {
      body: { notes },
      audit: [{ patientId: appointment.patientId, targetId: appointment.appointmentId }],
    };
  }),
);
