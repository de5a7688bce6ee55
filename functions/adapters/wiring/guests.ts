/** Composition roots for guest seats and visit passes: the table, plus texts or video where a route uses them. */
import type { VideoProvider } from '../../core/ports';
import { appointmentDeps, appointmentsContext, type AppointmentsDeps } from './appointments';
import type { Area } from './area';
import { textQueue } from './text-queue';
import { videoProvider } from './video';

/** Inviting a guest: queues the invitation text. */
export const guestInvitationArea: Area<AppointmentsDeps> = {
  name: 'guest-invitation',
  compose: (config, overrides) =>
    appointmentDeps(appointmentsContext(config, overrides), { texts: textQueue }),
};

/** Redeeming a pass, the guest's pages, consent and admission: the table only. */
export const guestsArea: Area<AppointmentsDeps> = {
  name: 'guests',
  compose: (config, overrides) => appointmentDeps(appointmentsContext(config, overrides)),
};

/** A guest joining the call: the video provider. */
export const guestVideoArea: Area<AppointmentsDeps & { video: VideoProvider }> = {
  name: 'guest-video',
  compose: (config, overrides) => {
    const context = appointmentsContext(config, overrides);
    return { ...appointmentDeps(context), video: videoProvider(context) };
  },
};
