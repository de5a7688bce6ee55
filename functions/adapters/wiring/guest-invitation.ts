/** Composition root for inviting a guest: queues the invitation text, tells the visit's pages. */
import { appointmentDeps, appointmentsContext, type AppointmentsDeps } from './appointments';
import type { Area } from './area';
import { realtimePushes } from './push';
import { textQueue } from './text-queue';

export const guestInvitationArea: Area<AppointmentsDeps> = {
  name: 'guest-invitation',
  compose: (config, overrides) =>
    appointmentDeps(appointmentsContext(config, overrides), { texts: textQueue, realtime: realtimePushes }),
};
