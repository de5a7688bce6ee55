/** Guest-seat helpers for integration tests: invitations read from the outbox, redeemed links. */
import { expect } from 'vitest';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { PASS_AUTH_SCHEME } from '../../shared/visit-pass';
import { as, call, checkedInVisit, DEVICE_CHECK_PASSED, eventually, outboxOf } from './support';

const GUEST = { name: 'Ana Interpreter', relation: 'interpreter', phone: '+447700900456' } as const;

/** Invites the guest as `token` and reads the one-time link's token from the guest's text in the outbox. */
export async function invite(token: string, appointmentId: string) {
  const { guest } = await as(token).call('inviteGuest', { appointmentId }, GUEST);
  // The outbox files the text when queued (ids only) and fills it in once sent.
  const text = await eventually(async () => (await outboxOf(guest.guestId)).find((t) => t.body));
  expect(text.to).toBe(GUEST.phone);
  const link = /\/pass#([A-Za-z0-9_-]{43})$/.exec(text.body);
  expect(link).not.toBeNull();
  return { guest, linkToken: link![1]! };
}

export const redeem = (token: string) => call('redeemVisitPass', { body: { token } });
export const asGuest = (session: string) => ({ authorization: `${PASS_AUTH_SCHEME} ${session}` });

/** A checked-in visit whose patient invited a guest who redeemed the link and checked in. */
export async function visitWithGuest() {
  const visit = await checkedInVisit();
  const { guest, linkToken } = await invite(visit.patient.token, visit.id);
  const redeemed = await redeem(linkToken);
  expect(redeemed.status).toBe(200);
  const session: string = redeemed.json.sessionToken;
  const checkIn = await call('guestCheckIn', {
    headers: asGuest(session),
    body: { name: 'Ana', consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck: DEVICE_CHECK_PASSED },
  });
  expect(checkIn.status).toBe(200);
  return { ...visit, guest, linkToken, session };
}
