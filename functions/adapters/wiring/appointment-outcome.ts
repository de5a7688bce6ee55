/** One appointment composition per module, so a handler's bundle holds only its route's services. */
import { appointmentDeps, appointmentsContext, type AppointmentsDeps } from './appointments';
import type { Area } from './area';
import { realtimePushes } from './push';

/** Completing a visit or marking a no-show: pushes only. */
export const appointmentOutcomeArea: Area<AppointmentsDeps> = {
  name: 'appointment-outcome',
  compose: (config, overrides) =>
    appointmentDeps(appointmentsContext(config, overrides), { realtime: realtimePushes }),
};
