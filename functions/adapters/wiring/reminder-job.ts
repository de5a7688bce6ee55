/** One appointment composition per module, so a handler's bundle holds only its route's services. */
import { appointmentDeps, appointmentsContext, type AppointmentsDeps } from './appointments';
import type { Area } from './area';
import { textQueue } from './text-queue';

/** The reminder job: queues the reminder text. */
export const reminderJobArea: Area<AppointmentsDeps> = {
  name: 'reminder-job',
  compose: (config, overrides) =>
    appointmentDeps(appointmentsContext(config, overrides), { texts: textQueue }),
};
