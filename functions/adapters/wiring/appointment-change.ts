/** One appointment composition per module, so a handler's bundle holds only its route's services. */
import { appointmentDeps, appointmentsContext, type AppointmentsDeps } from './appointments';
import type { Area } from './area';
import { realtimePushes } from './push';
import { reminderScheduler } from './reminders';
import { textQueue } from './text-queue';

/** Booking, cancelling, rescheduling: reminders, queued texts and pushes (`APPOINTMENT_CHANGE`). */
export const appointmentChangeArea: Area<AppointmentsDeps> = {
  name: 'appointment-change',
  compose: (config, overrides) =>
    appointmentDeps(appointmentsContext(config, overrides), {
      reminders: reminderScheduler,
      texts: textQueue,
      realtime: realtimePushes,
    }),
};
