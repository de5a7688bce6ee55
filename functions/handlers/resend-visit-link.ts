import { getDoctorsAppointment } from '../core/appointments';
import { resendVisitLink } from '../core/rescue';
import { appointmentChangeArea } from '../adapters/wiring/appointment-change';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentChangeArea, (deps) =>
  http(routes.resendVisitLink, deps, async ({ identity, pathParameters }) => {
    const appointment = await getDoctorsAppointment(
      identity,
      pathParameters.appointmentId,
      deps,
      'sends its link',
    );
    return { body: { rescue: await resendVisitLink(identity, appointment, deps) } };
  }),
);
