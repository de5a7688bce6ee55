import { DEFAULT_SLOT_MINUTES } from '../../shared/appointments';
import { getAvailability } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

const EMPTY_WEEK = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.getAvailability, deps, async ({ identity }) => {
    const availability = await getAvailability(identity.userId, deps);
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
  }),
);
