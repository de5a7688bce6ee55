import { inviteGuest } from '../core/guest-invitations';
import { guestInvitationArea } from '../adapters/wiring/guests';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(guestInvitationArea, (deps) =>
  http(routes.inviteGuest, deps, async ({ identity, pathParameters, body }) => ({
    body: { guest: await inviteGuest(identity, pathParameters.appointmentId, body, deps) },
  })),
);
