/**
 * The admin console's doctor accounts: the list query (shared by the handler and the admin page),
 * and what the list and the account actions answer.
 */
import * as v from 'valibot';
import { DoctorSearchQuery } from './appointments';

/** `active`: can sign in and is in the directory; `deactivated`: neither; `all`: both. */
export const DOCTOR_ACCOUNT_STATUSES = ['active', 'deactivated', 'all'] as const;
export type DoctorAccountStatus = (typeof DOCTOR_ACCOUNT_STATUSES)[number];

export const DoctorAccountQuery = v.strictObject({
  ...DoctorSearchQuery.entries,
  status: v.optional(v.picklist(DOCTOR_ACCOUNT_STATUSES, 'Use active, deactivated or all'), 'all'),
});
export type DoctorAccountQuery = v.InferOutput<typeof DoctorAccountQuery>;

/** One doctor as the admin's list shows them. */
export interface DoctorAccount {
  doctorId: string;
  name: string;
  email: string;
  specialty: string;
  createdAt: string;
  /** Set while the account is deactivated. */
  deactivatedAt?: string;
  /** The last sign-in with a password (not a token refresh); absent until the first one. */
  lastSignInAt?: string;
}

/** An invitation that is still open can be sent again: the doctor has never signed in. */
export const invitationOpen = (doctor: Pick<DoctorAccount, 'lastSignInAt'>) => !doctor.lastSignInAt;

/** On AWS Cognito emails the temporary password; locally nothing is mailed, so it is shown. */
export type Invitation = { delivery: 'shown'; temporaryPassword: string } | { delivery: 'email' };

export interface DoctorAccountResponse {
  doctor: DoctorAccount;
}

/** Deactivation keeps the doctor's booked visits: the admin is told how many lie ahead. */
export interface DeactivationResponse extends DoctorAccountResponse {
  upcomingAppointments: number;
}

export interface ResentInvitationResponse extends DoctorAccountResponse {
  invitation: Invitation;
}
