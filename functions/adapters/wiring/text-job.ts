/** One appointment composition per module, so a handler's bundle holds only its route's services. */
import { appointmentDeps, appointmentsContext, type AppointmentsDeps } from './appointments';
import type { Area } from './area';
import { realtimePushes } from './push';
import { providerSms } from './sms';

/** The send-text job: the only function that talks to the SMS provider. */
export const textJobArea: Area<AppointmentsDeps> = {
  name: 'text-job',
  compose: (config, overrides) =>
    appointmentDeps(appointmentsContext(config, overrides), { sms: providerSms, realtime: realtimePushes }),
};
