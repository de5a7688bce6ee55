import { describe, expect, it } from 'vitest';
import { routes } from '../routes';
import { http } from './http';

const sessions = { isCurrent: async () => true };

describe('handlers are typed by the contract', () => {
  it('does not compile a handler whose body is not the route’s response, or reads a parameter its path lacks', () => {
    const handlers = [
      // @ts-expect-error getMe answers { profile: Profile }, not a string
      http(routes.getMe, { allowedOrigins: [], sessions }, async () => ({
        body: { profile: 'not a profile' },
      })),
      http(routes.cancelAppointment, { allowedOrigins: [], sessions }, async ({ pathParameters }) => {
        // @ts-expect-error the cancel path has {appointmentId}, not {doctorId}
        throw new Error(pathParameters.doctorId);
      }),
      http(routes.listOpenSlots, { allowedOrigins: [], sessions }, async ({ pathParameters }) => ({
        body: { items: [{ start: pathParameters.doctorId, end: pathParameters.doctorId }] },
      })),
    ];
    expect(handlers.every((h) => typeof h === 'function')).toBe(true);
  });
});
