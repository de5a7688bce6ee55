/**
 * Inviting a guest (core/guests.ts): its own module, as it alone normalises a phone number
 * (libphonenumber-js stays out of the other guest routes' bundles).
 */
import { randomUUID } from 'node:crypto';
import type { PhoneInput } from '../../shared/phone-input';
import type { GuestRelation, GuestState } from '../../shared/visit-pass';
import { getOwnAppointment } from './appointments';
import { assertOpen, audit, publicState, type GuestDeps, type StoredGuest } from './guests';
import type { Identity } from './identity';
import { e164 } from './phone-number';

type Caller = Pick<Identity, 'userId' | 'role'>;

/**
 * The patient (for their own visit) or the visit's doctor invites one guest; a second invitation
 * replaces the first (whose link and session die). A patient's invitation is their consent to the
 * guest; a doctor's waits for the patient's consent before the guest can be admitted.
 */
export async function inviteGuest(
  caller: Caller,
  appointmentId: string,
  input: { name: string; relation: GuestRelation; phone: PhoneInput },
  deps: GuestDeps,
): Promise<GuestState> {
  const phone = e164(input.phone);
  const appointment = await getOwnAppointment(caller, appointmentId, deps);
  assertOpen(appointment);
  const now = deps.clock.now().toISOString();
  const byPatient = caller.userId === appointment.patientId;
  const earlier = await deps.guests.get(appointmentId);
  if (earlier) await deps.visitPasses.revoke(appointmentId, earlier.guestId);
  const guest: StoredGuest = {
    appointmentId,
    guestId: `guest_${randomUUID()}`,
    name: input.name,
    relation: input.relation,
    phone,
    invitedAt: now,
    invitedBy: byPatient ? 'patient' : 'doctor',
    invitation: (earlier?.invitation ?? 0) + 1,
    ...(byPatient ? { patientConsentAt: now } : {}),
  };
  await deps.guests.put(guest);
  await audit(earlier ? 'guest.reinvited' : 'guest.invited', caller, appointment, deps);
  if (byPatient) await audit('guest.consented', caller, appointment, deps);
  await deps.texts.enqueue({
    appointmentId,
    kind: 'guest_invitation',
    recipientId: guest.guestId,
    version: guest.invitation,
    queuedAt: now,
  });
  return publicState(guest);
}
