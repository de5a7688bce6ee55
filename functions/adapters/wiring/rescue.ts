/** Compositions of the no-show rescue's routes that reach more than the table (core/rescue.ts). */
import { appointmentDeps, appointmentsContext, type AppointmentsDeps } from './appointments';
import type { Area } from './area';
import { realtimePushes } from './push';

/** Redeeming a pass: the table, and pushes (a late patient's opened link shows in the doctor's queue). */
export const passRedeemArea: Area<AppointmentsDeps> = {
  name: 'pass-redeem',
  compose: (config, overrides) =>
    appointmentDeps(appointmentsContext(config, overrides), { realtime: realtimePushes }),
};
