import { guestOfVisit } from '../core/guests';
import { guestsArea } from '../adapters/wiring/guests';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(guestsArea, (deps) =>
  http(routes.getGuest, deps, async ({ identity, pathParameters }) => {
    const { appointment, guest } = await guestOfVisit(identity, pathParameters.appointmentId, deps);
    return {
      body: { guest: guest ?? null },
      audit: [{ patientId: appointment.patientId, targetId: appointment.appointmentId }],
    };
  }),
);
