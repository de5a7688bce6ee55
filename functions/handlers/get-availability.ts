import { DEFAULT_SLOT_MINUTES } from '../../shared/appointments';
import { getAvailability } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

const EMPTY_WEEK = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

export const handler = http(routes.getAvailability, async ({ identity }) => {
  const availability = await getAvailability(identity.userId, appointmentDeps);
  return {
    body: {
      availability: availability ?? {
        timeZone: 'UTC',
        slotMinutes: DEFAULT_SLOT_MINUTES,
        weekly: EMPTY_WEEK,
        daysOff: [],
      },
      configured: availability !== undefined,
    },
  };
});
