/** Composition root for a guest joining the call: the video provider. */
import type { VideoProvider } from '../../core/ports';
import { appointmentDeps, appointmentsContext, type AppointmentsDeps } from './appointments';
import type { Area } from './area';
import { realtimePushes } from './push';
import { videoProvider } from './video';

export const guestVideoArea: Area<AppointmentsDeps & { video: VideoProvider }> = {
  name: 'guest-video',
  compose: (config, overrides) => {
    const context = appointmentsContext(config, overrides);
    return { ...appointmentDeps(context, { realtime: realtimePushes }), video: videoProvider(context) };
  },
};
