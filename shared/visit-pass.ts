/**
 * Visit passes (docs/adr/0021-visit-passes.md): a one-time link lets someone without a Cognito
 * session — a signed-out patient, a guest — take part in ONE visit. Redeeming the link gives a visit
 * session, sent as `Authorization: Pass <token>` (REST) or `?pass=<token>` (WebSocket).
 */
import * as v from 'valibot';
import { PhoneInput } from './phone-input';
import { DeviceCheck, TELEHEALTH_CONSENT_VERSION } from './live';

/** The `Authorization` scheme of a visit session. */
export const PASS_AUTH_SCHEME = 'Pass';
/** The web page a pass link opens: `/pass#<token>` (the fragment never reaches a server log). */
export const PASS_LINK_PATH = '/pass';
/** Where the web keeps the tab's visit session (sessionStorage: this tab only). */
export const VISIT_SESSION_STORAGE_KEY = 'visitSession';

export type PassHolder = 'patient' | 'guest';

/** 32 random bytes in base64url: 43 characters of [A-Za-z0-9_-]. */
const PassToken = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/, 'Not a valid link'));

export const RedeemPassRequest = v.strictObject({ token: PassToken });

/** What a pass holder's pages need about their visit, and no more. */
export interface VisitFacts {
  appointmentId: string;
  doctorName: string;
  start: string;
  end: string;
  holder: PassHolder;
  /** A guest's own name, as invited (they may correct it at check-in). */
  guestName?: string;
}

export interface RedeemedPass {
  /** The visit session: `Authorization: Pass <sessionToken>`, until the visit ends. */
  sessionToken: string;
  expiresAt: string;
  visit: VisitFacts;
}

// ---- Guests -------------------------------------------------------------------------------------

export const GUEST_RELATIONS = ['interpreter', 'family', 'carer', 'other'] as const;
export type GuestRelation = (typeof GUEST_RELATIONS)[number];
export const GUEST_RELATION_LABELS: Readonly<Record<GuestRelation, string>> = {
  interpreter: 'Interpreter',
  family: 'Family member',
  carer: 'Carer',
  other: 'Other',
};

const GuestName = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'Enter the guest’s name'),
  v.maxLength(80, 'At most 80 characters'),
);

/** One guest per visit; the invitation goes to their mobile as a text with the one-time link. */
export const InviteGuestRequest = v.strictObject({
  name: GuestName,
  relation: v.picklist(GUEST_RELATIONS, 'Choose how the guest is related'),
  phone: PhoneInput,
});

export const GuestConsentRequest = v.strictObject({ consent: v.literal(true, 'Tick to agree') });

export const GuestCheckInRequest = v.strictObject({
  name: GuestName,
  consentVersion: v.literal(TELEHEALTH_CONSENT_VERSION, 'Please accept the current consent text'),
  deviceCheck: DeviceCheck,
});

/** Where a guest stands, for the patient's card, the doctor's queue and the guest's own pages. */
export interface GuestState {
  guestId: string;
  name: string;
  relation: GuestRelation;
  invitedAt: string;
  invitedBy: 'patient' | 'doctor';
  /** The patient's consent to this guest (given when the patient invites; asked when the doctor does). */
  patientConsentAt?: string;
  checkedInAt?: string;
  deviceCheckPassed?: boolean;
  admittedAt?: string;
}

/** A guest's view of their visit (GET /visit): never the patient's record. */
export interface GuestVisit {
  visit: VisitFacts;
  /** The appointment is live (`in_progress`): an admitted guest may join the call. */
  callOpen: boolean;
  checkedIn: boolean;
  admitted: boolean;
  patientConsented: boolean;
}
