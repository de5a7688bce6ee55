/**
 * The admin console's doctor accounts: the list, deactivation and reactivation, and a second
 * invitation for a doctor who never signed in.
 *
 * Deactivation is three things at once: Cognito refuses the account's sign-ins and refreshes, every
 * token issued until now is refused by the API and the doctor's open WebSockets are closed (as by
 * "sign out everywhere"), and the profile is marked so the directory leaves the doctor out. Booked visits stay: the admin is
 * told how many lie ahead, to arrange them with the patients.
 */
import type { DeactivationResponse, DoctorAccount, DoctorAccountQuery, Invitation } from '../../shared/admin';
import { invitationOpen } from '../../shared/admin';
import type { Page } from '../../shared/appointments';
import { temporaryPassword } from './accounts';
import { Conflict, NotFound } from './errors';
import type { Identity } from './identity';
import {
  InvitationAccepted,
  type AppointmentRepository,
  type AuditLog,
  type Clock,
  type DoctorAccounts,
  type DoctorSignIn,
  type ProfileRepository,
  type StoredProfile,
} from './ports';
import { endAllSessions, type EndSessionsDeps } from './sessions';
import type { Schedules } from './schedules';

export interface DoctorAccountDeps extends EndSessionsDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  doctorAccounts: DoctorAccounts;
  signIn: DoctorSignIn;
  appointments: Pick<AppointmentRepository, 'listForDoctor'>;
  /** The pickers' cache of doctors' schedules, told when an account closes or reopens. */
  schedules: Pick<Schedules, 'forget'>;
  audit: AuditLog;
  clock: Clock;
  /** On AWS Cognito emails invitations; cognito-local mails nothing, so the password is shown. */
  invitationDelivery: 'email' | 'shown';
}

export function doctorAccount(profile: StoredProfile): DoctorAccount {
  return {
    doctorId: profile.userId,
    name: profile.name,
    email: profile.email,
    specialty: profile.specialty ?? '',
    createdAt: profile.createdAt,
    ...(profile.deactivatedAt ? { deactivatedAt: profile.deactivatedAt } : {}),
    ...(profile.lastSignInAt ? { lastSignInAt: profile.lastSignInAt } : {}),
  };
}

export async function listDoctorAccounts(
  query: DoctorAccountQuery,
  deps: Pick<DoctorAccountDeps, 'doctorAccounts'>,
): Promise<Page<DoctorAccount>> {
  const page = await deps.doctorAccounts.list({
    text: query.q,
    status: query.status,
    cursor: query.cursor,
    limit: query.limit,
  });
  return { items: page.items.map(doctorAccount), nextCursor: page.nextCursor };
}

async function doctorProfile(doctorId: string, deps: Pick<DoctorAccountDeps, 'profiles'>) {
  const profile = await deps.profiles.get(doctorId);
  if (!profile || profile.role !== 'doctor') throw new NotFound('No doctor has this id');
  return profile;
}

/** Booked or checked-in visits from now on (counted up to 1,000). */
async function upcomingVisits(doctorId: string, deps: DoctorAccountDeps): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.appointments.listForDoctor(doctorId, {
      from: deps.clock.now().toISOString(),
      statuses: ['booked', 'checked_in'],
      cursor,
      limit: 100,
      order: 'asc',
    });
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor && count < 1000);
  return count;
}

/** Deactivating twice changes nothing the second time (and records nothing). */
export async function deactivateDoctor(
  doctorId: string,
  actor: Pick<Identity, 'userId' | 'role'>,
  deps: DoctorAccountDeps,
  requestId?: string,
): Promise<DeactivationResponse> {
  const profile = await doctorProfile(doctorId, deps);
  let deactivatedAt = profile.deactivatedAt;
  if (!deactivatedAt) {
    deactivatedAt = deps.clock.now().toISOString();
    // Sign-in first, so no new session can start while the old ones are being ended.
    await deps.signIn.disable(doctorId);
    await endAllSessions(doctorId, deps);
    await deps.doctorAccounts.setDeactivated(doctorId, deactivatedAt);
    deps.schedules.forget(doctorId);
    await deps.audit.record({
      action: 'doctor.deactivated',
      actorId: actor.userId,
      actorRole: actor.role,
      targetId: doctorId,
      requestId,
    });
  }
  return {
    doctor: doctorAccount({ ...profile, deactivatedAt }),
    upcomingAppointments: await upcomingVisits(doctorId, deps),
  };
}

/** The doctor can sign in again (tokens from before the deactivation stay refused). */
export async function reactivateDoctor(
  doctorId: string,
  actor: Pick<Identity, 'userId' | 'role'>,
  deps: DoctorAccountDeps,
  requestId?: string,
) {
  const profile = await doctorProfile(doctorId, deps);
  if (profile.deactivatedAt) {
    await deps.signIn.enable(doctorId);
    await deps.doctorAccounts.setDeactivated(doctorId, undefined);
    deps.schedules.forget(doctorId);
    await deps.audit.record({
      action: 'doctor.reactivated',
      actorId: actor.userId,
      actorRole: actor.role,
      targetId: doctorId,
      requestId,
    });
  }
  const { deactivatedAt: _gone, ...active } = profile;
  return { doctor: doctorAccount(active) };
}

/** A new temporary password, sent (or shown) as at creation; 409 once the doctor has signed in. */
export async function resendInvitation(
  doctorId: string,
  actor: Pick<Identity, 'userId' | 'role'>,
  deps: DoctorAccountDeps,
  requestId?: string,
): Promise<{ doctor: DoctorAccount; invitation: Invitation }> {
  const profile = await doctorProfile(doctorId, deps);
  const accepted = () =>
    new Conflict('This doctor has signed in already: the invitation was accepted', 'invitation_accepted');
  if (!invitationOpen(profile)) throw accepted();
  if (profile.deactivatedAt) {
    throw new Conflict('Reactivate the account before sending the invitation again', 'doctor_deactivated');
  }
  const password = temporaryPassword();
  try {
    await deps.signIn.resendInvitation({ email: profile.email, temporaryPassword: password });
  } catch (err) {
    if (err instanceof InvitationAccepted) throw accepted();
    throw err;
  }
  await deps.audit.record({
    action: 'doctor.invitationResent',
    actorId: actor.userId,
    actorRole: actor.role,
    targetId: doctorId,
    requestId,
  });
  return {
    doctor: doctorAccount(profile),
    invitation:
      deps.invitationDelivery === 'shown'
        ? { delivery: 'shown', temporaryPassword: password }
        : { delivery: 'email' },
  };
}

/**
 * The PreTokenGeneration trigger on a sign-in (not a refresh): the admin's list shows it, and an
 * open invitation is one whose doctor has none.
 */
export async function recordSignIn(
  userId: string,
  deps: { doctorAccounts: Pick<DoctorAccounts, 'recordSignIn'>; sessionClock: Clock },
) {
  await deps.doctorAccounts.recordSignIn(userId, deps.sessionClock.now().toISOString());
}
