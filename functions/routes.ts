/**
 * The server side of the API contract (`shared/contract.ts`): for each REST route the handler file
 * and the capabilities it uses; the WebSocket actions and jobs. The CDK app creates one Lambda and
 * one API resource per entry, the local gateway mounts the same entries, and the authorization
 * matrix reads them.
 *
 * `handler` is the file under functions/handlers/ whose `handler` export serves the route.
 */
import type * as v from 'valibot';
import { api, type Api, type ApiRoute, type HttpMethod, type RouteId } from '../shared/contract';
import type { PassHolder } from '../shared/visit-pass';

export type { HttpMethod };
export { wsAuthorizer, wsRouteList, wsRoutes, type WsRoute } from './ws-routes';
/**
 * `sms`: may queue texts (the sender job sends them); `smsNow`: sends a text at once through the
 * provider (a phone code its owner is waiting for; a failure is the caller's error to retry).
 * `twilioStatus`: reads the Twilio secret only to tell whether it is filled in (GET /health); the
 * value never leaves the function. `smsWebhook`: reads the Twilio secret's auth token to check the
 * signature of Twilio's posts.
 */
export type Capability =
  'sms' | 'smsNow' | 'smsWebhook' | 'reminders' | 'realtime' | 'video' | 'twilioStatus';
/**
 * What a function may do to the table, so the CDK grants no more (docs/security.md):
 * - `read`: GetItem and Query only;
 * - `audit`: `read` plus PutItem of audit entries (items under `AUDIT#…`) and nothing else;
 * - `write`: `read` plus PutItem, UpdateItem and DeleteItem (transactions are authorised per item),
 *   but never an update or delete of an audit entry.
 * A route that writes anything besides its audit entry — a rate-limit item, a connection record, a
 * stale connection it deletes after a failed push — is `write`.
 */
export type TableAccess = 'read' | 'audit' | 'write';

/** A contract route with its server side: what the CDK app and the local gateway mount. */
export type HttpRoute<
  S extends v.GenericSchema | undefined = v.GenericSchema | undefined,
  Q extends v.GenericSchema | undefined = v.GenericSchema | undefined,
> = ApiRoute<string, S, Q, unknown> & ServerSide;

/**
 * A route whose answer holds a patient's data names the action its reads are audited as: the
 * `http()` wrapper then records one entry per patient the answer is about (its handler must say
 * which) before answering, and the route needs `audit` or `write` access. `functions/routes.test.ts`
 * refuses a new GET route that neither audits nor is listed there as holding no PHI.
 */
type ReadAudit =
  | { readonly access: 'read'; readonly audits?: never }
  | { readonly access: 'audit' | 'write'; readonly audits?: string };

/** What the server adds to each contract route: its handler file and what it may reach. */
type ServerSide = ReadAudit & {
  readonly handler: string;
  /** What the handler does to the table: the CDK grants exactly that. */
  readonly access: TableAccess;
  /** Needs Cognito admin rights (creates or deletes users). */
  readonly cognitoAdmin?: boolean;
  /** Exactly these Cognito admin actions on the pool, for a route that needs only a few. */
  readonly cognitoActions?: readonly `cognito-idp:${string}`[];
  /**
   * Outside services the handler reaches besides the table, so the CDK grants exactly these:
   * `sms` (queues texts for the send-text job, which alone talks to Twilio), `reminders` (EventBridge Scheduler), `realtime` (posts to WebSocket
   * connections), `video` (the video provider and its Twilio secret).
   */
  readonly uses?: readonly Capability[];
  /** Mounted by the local platform only (development pages); never deployed. */
  readonly localOnly?: boolean;
  /**
   * A visit-pass route (docs/adr/0021-visit-passes.md): `public` at API Gateway, and the handler
   * requires `Authorization: Pass <visit session>` of one of these holders, for that visit only.
   */
  readonly passHolders?: readonly PassHolder[];
};

const APPOINTMENT_CHANGE: readonly Capability[] = ['sms', 'reminders', 'realtime'];

const serverSide = {
  health: { handler: 'health', access: 'read', uses: ['twilioStatus'] },
  // Cognito's public SignUp only: no admin rights (the trigger below adds the group).
  registerPatient: { handler: 'register-patient', access: 'write' },
  getMe: { handler: 'get-me', access: 'read' },
  createDoctor: { handler: 'create-doctor', access: 'write', cognitoAdmin: true },
  updateMe: { handler: 'update-me', access: 'write' },
  sendPhoneCode: { handler: 'send-phone-code', access: 'write', uses: ['smsNow'] },
  verifyPhone: { handler: 'verify-phone', access: 'write' },
  // Writes delivery reports on text records, profiles' opt-in and their audit entries.
  twilioMessagingWebhook: {
    handler: 'twilio-messaging-webhook',
    access: 'write',
    uses: ['smsWebhook'],
  },
  signOutEverywhere: { handler: 'sign-out-everywhere', access: 'write', uses: ['realtime'] },
  exportMyData: { handler: 'export-my-data', access: 'audit', audits: 'data.exported' },
  deleteMyAccount: {
    handler: 'delete-my-account',
    access: 'write',
    cognitoAdmin: true,
    uses: APPOINTMENT_CHANGE,
  },
  listDoctors: { handler: 'list-doctors', access: 'read' },
  listOpenSlots: { handler: 'list-open-slots', access: 'read' },
  getAvailability: { handler: 'get-availability', access: 'read' },
  putAvailability: { handler: 'put-availability', access: 'write' },
  bookAppointment: { handler: 'book-appointment', access: 'write', uses: APPOINTMENT_CHANGE },
  listAppointments: { handler: 'list-appointments', access: 'audit', audits: 'appointments.listed' },
  getAppointment: { handler: 'get-appointment', access: 'audit', audits: 'appointment.read' },
  cancelAppointment: { handler: 'cancel-appointment', access: 'write', uses: APPOINTMENT_CHANGE },
  rescheduleAppointment: { handler: 'reschedule-appointment', access: 'write', uses: APPOINTMENT_CHANGE },
  completeAppointment: { handler: 'complete-appointment', access: 'write', uses: ['realtime'] },
  markNoShow: { handler: 'mark-no-show', access: 'write', uses: ['realtime'] },
  getVisitNotes: { handler: 'get-visit-notes', access: 'audit', audits: 'notes.read' },
  putVisitNotes: { handler: 'put-visit-notes', access: 'write' },
  listPatients: { handler: 'list-patients', access: 'audit', audits: 'patients.listed' },
  getPatient: { handler: 'get-patient', access: 'audit', audits: 'patient.read' },
  listPatientVisits: { handler: 'list-patient-visits', access: 'audit', audits: 'visits.read' },
  checkIn: { handler: 'check-in', access: 'write', uses: ['realtime'] },
  resendVisitLink: { handler: 'resend-visit-link', access: 'write', uses: ['sms', 'realtime'] },
  listRescues: { handler: 'list-rescues', access: 'read' },
  getPassVisit: { handler: 'get-pass-visit', access: 'read', passHolders: ['patient'] },
  passCheckIn: { handler: 'pass-check-in', access: 'write', uses: ['realtime'], passHolders: ['patient'] },
  passJoinCall: { handler: 'pass-join-call', access: 'audit', uses: ['video'], passHolders: ['patient'] },
  visitRates: { handler: 'visit-rates', access: 'read' },
  waitingRoom: { handler: 'waiting-room', access: 'audit', audits: 'waitingRoom.read' },
  admitPatient: { handler: 'admit-patient', access: 'write', uses: ['realtime'] },
  runningLate: { handler: 'running-late', access: 'write', uses: ['realtime'] },
  joinCall: { handler: 'join-call', access: 'audit', uses: ['video'] },
  endVisit: { handler: 'end-visit', access: 'write', uses: ['realtime', 'video'] },
  recordingConsent: { handler: 'recording-consent', access: 'write', uses: ['realtime', 'video'] },
  listMessages: { handler: 'list-messages', access: 'audit', audits: 'messages.read' },
  leaveVisitFeedback: { handler: 'leave-visit-feedback', access: 'write' },
  sendCallQuality: { handler: 'send-call-quality', access: 'write' },
  visitQualityReport: { handler: 'visit-quality-report', access: 'audit', audits: 'visitQuality.read' },
  listDoctorAccounts: { handler: 'list-doctor-accounts', access: 'read' },
  deactivateDoctor: {
    handler: 'deactivate-doctor',
    access: 'write',
    cognitoActions: ['cognito-idp:AdminDisableUser'],
    // Closes the doctor's open WebSockets.
    uses: ['realtime'],
  },
  reactivateDoctor: {
    handler: 'reactivate-doctor',
    access: 'write',
    cognitoActions: ['cognito-idp:AdminEnableUser'],
  },
  // AdminCreateUser with MessageAction RESEND only (it cannot create: the handler never asks it to).
  resendInvitation: {
    handler: 'resend-invitation',
    access: 'write',
    cognitoActions: ['cognito-idp:AdminCreateUser'],
  },
  readAuditTrail: { handler: 'read-audit-trail', access: 'audit', audits: 'audit.read' },
  exportAuditTrail: { handler: 'export-audit-trail', access: 'audit', audits: 'audit.exported' },
  fhirPatient: { handler: 'fhir-patient', access: 'audit', audits: 'ehr.read' },
  fhirPatientEverything: {
    handler: 'fhir-patient-everything',
    access: 'audit',
    audits: 'ehr.exported',
  },
  fhirEncounter: { handler: 'fhir-encounter', access: 'audit', audits: 'ehr.read' },
  fhirEncounterEverything: {
    handler: 'fhir-encounter-everything',
    access: 'audit',
    audits: 'ehr.exported',
  },
  inviteGuest: { handler: 'invite-guest', access: 'write', uses: ['sms', 'realtime'] },
  getGuest: { handler: 'get-guest', access: 'audit', audits: 'guest.read' },
  removeGuest: { handler: 'remove-guest', access: 'write', uses: ['realtime'] },
  consentToGuest: { handler: 'consent-to-guest', access: 'write', uses: ['realtime'] },
  admitGuest: { handler: 'admit-guest', access: 'write', uses: ['realtime'] },
  // Writes the visit session (and a rate-limit item) besides marking the pass used.
  // `realtime`: a patient opening a texted link shows at once in the doctor's queue (no-show rescue).
  redeemVisitPass: { handler: 'redeem-visit-pass', access: 'write', uses: ['realtime'] },
  getGuestVisit: { handler: 'get-guest-visit', access: 'read', passHolders: ['guest'] },
  guestCheckIn: {
    handler: 'guest-check-in',
    access: 'write',
    uses: ['realtime'],
    passHolders: ['guest'],
  },
  guestJoinCall: {
    handler: 'guest-join-call',
    access: 'audit',
    uses: ['video', 'realtime'],
    passHolders: ['guest'],
  },
  listOutbox: { handler: 'list-outbox', access: 'read', localOnly: true },
} as const satisfies Record<RouteId, ServerSide>;

type Routes = { readonly [K in RouteId]: Api[K] & (typeof serverSide)[K] };

/** Every contract route with its server side; one entry per route, keyed by the contract's ids. */
export const routes = Object.fromEntries(
  (Object.keys(api) as RouteId[]).map((id) => [id, { ...api[id], ...serverSide[id] }]),
) as Routes;

/** Functions invoked by AWS services rather than by a client. */
/**
 * Cognito user-pool triggers (the pool's `LambdaConfig` key → handler). Cognito invokes them on AWS;
 * locally cognito-local invokes them through the platform (infra/local/hooks.ts).
 */
export interface CognitoTrigger {
  handler: string;
  access: TableAccess;
  /** The Cognito admin actions it may call, on the user pools of its account and region. */
  cognitoActions: readonly `cognito-idp:${string}`[];
  summary: string;
}

export const cognitoTriggers: Record<string, CognitoTrigger> = {
  PostConfirmation: {
    handler: 'post-confirmation',
    access: 'write',
    cognitoActions: ['cognito-idp:AdminAddUserToGroup'],
    summary: 'After the email code is confirmed: adds the user to group patient, confirms the profile',
  },
  PreTokenGeneration: {
    handler: 'pre-token-generation',
    // Records each sign-in's time on the profile (the admin console's last sign-in).
    access: 'write',
    cognitoActions: ['cognito-idp:AdminGetUser'],
    summary: "Adds the `mfa` claim (from the user's MFA settings) to every ID token; records sign-ins",
  },
};

export const jobs = {
  sendReminder: {
    id: 'sendReminder',
    handler: 'send-reminder',
    uses: ['sms'] as readonly Capability[],
    // At a visit's start it records the rescue and counts the visit for its doctor-week.
    access: 'write' as TableAccess,
    summary:
      "Fired by a visit's schedules: queues the reminder text; at the start, texts a late patient a link",
  },
  sendText: {
    id: 'sendText',
    handler: 'send-text',
    // It reads the Twilio secret itself (it is the only sender); `sms` is for those who queue texts.
    // `realtime`: a texted visit link shows at once in the doctor's queue.
    uses: ['realtime'] as readonly Capability[],
    // Records each text it sent (TEXT#<textId>), so a redelivery is not sent twice.
    access: 'write' as TableAccess,
    summary: 'Sends the queued texts through Twilio',
    /** Deliveries of one text before it goes to the dead-letter queue (SQS maxReceiveCount). */
    maxAttempts: 5,
    /** At most this many senders at once: Twilio's rate for one number is a few texts a second. */
    maxConcurrency: 5,
  },
} as const;

export const httpRouteList: readonly HttpRoute[] = Object.values(routes);
