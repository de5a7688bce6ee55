/** Composition root for visit passes and guest seats: the table and pushes (one module per area, for lean bundles). */
import { appointmentDeps, appointmentsContext, type AppointmentsDeps } from './appointments';
import type { Area } from './area';
import { realtimePushes } from './push';

/** Redeeming a pass, the guest's pages, consent and admission. */
export const guestsArea: Area<AppointmentsDeps> = {
  name: 'guests',
  compose: (config, overrides) =>
    appointmentDeps(appointmentsContext(config, overrides), { realtime: realtimePushes }),
};
