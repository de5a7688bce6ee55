/**
 * THE REST API contract: for every route its method, path template, roles, request body and query
 * schemas, and response type. The handlers (through `functions/routes.ts`, which adds only what the
 * server needs), the CDK app, the local gateway, the authorization matrix, `docs/api.md`, the typed
 * client (`shared/client.ts`) used by the web app and the tests — all read this one object.
 */
import type * as v from 'valibot';
import type {
  MeResponse,
  CreatedDoctorResponse,
  HealthResponse,
  SignOutResponse,
  SignUpResponse,
} from './api';
import { TWILIO_MESSAGING_WEBHOOK_PATH } from './api';
import {
  AppointmentListQuery,
  Availability,
  BookAppointmentRequest,
  CancelAppointmentRequest,
  DoctorSearchQuery,
  PageQuery,
  RescheduleAppointmentRequest,
  SlotQuery,
  UpdateMeRequest,
  VisitNotesRequest,
  type Appointment,
  type DoctorSummary,
  type OutboxMessage,
  type Page,
  type PatientDetails,
  type PatientListItem,
  type PatientVisit,
  type Slot,
  type VisitNotes,
} from './appointments';
import {
  CheckInRequest,
  ConsentBody,
  MessagesQuery,
  RecordingConsentRequest,
  RunningLateRequest,
  type ChatMessage,
  type JoinInfo,
  type WaitingPatient,
} from './live';
import {
  DoctorAccountQuery,
  type DeactivationResponse,
  type DoctorAccount,
  type DoctorAccountResponse,
  type ResentInvitationResponse,
} from './admin';
import { AuditExportQuery, AuditSearchQuery, type AuditRow } from './audit';
import {
  RescueQuery,
  VisitRatesQuery,
  type PatientPassVisit,
  type RescueState,
  type VisitRates,
} from './rescue';
import { FHIR_MEDIA_TYPE, type FhirBundle, type FhirResource } from './fhir';
import { ANY_USER, CARE, type Role } from './roles';
import { AccountDeletionRequest, type AccountDeletion, type DataExport } from './data-rights';
import {
  CreateDoctorRequest,
  RegisterPatientRequest,
  TwilioMessagingWebhook,
  VerifyPhoneRequest,
} from './schemas';
import {
  CallQualitySummary,
  VisitFeedbackRequest,
  VisitQualityQuery,
  type VisitQualityReport,
} from './visit-feedback';

import {
  GuestCheckInRequest,
  GuestConsentRequest,
  InviteGuestRequest,
  RedeemPassRequest,
  type GuestState,
  type GuestVisit,
  type RedeemedPass,
} from './visit-pass';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A phantom marker carrying a route's response type (no value at run time). */
declare const responseType: unique symbol;
export interface Returns<T> {
  readonly [responseType]?: T;
}
const returns = <T>(): Returns<T> => ({});

export interface ApiRoute<
  P extends string = string,
  S extends v.GenericSchema | undefined = v.GenericSchema | undefined,
  Q extends v.GenericSchema | undefined = v.GenericSchema | undefined,
  R = unknown,
> {
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  readonly path: P;
  /** `public` routes have no Cognito authorizer. */
  readonly roles: readonly Role[] | 'public';
  readonly body?: S;
  /** Schema of the query string (all values strings, as API Gateway delivers them). */
  readonly query?: Q;
  readonly response: Returns<R>;
  /** Status of a successful answer (200 unless said). */
  readonly status?: 200 | 201 | 202;
  /** Media type of a successful answer when it is not JSON (the body is then sent as it is). */
  readonly produces?: 'text/csv' | 'text/xml' | typeof FHIR_MEDIA_TYPE;
  /** The body comes form-encoded (`application/x-www-form-urlencoded`, a provider's webhook), not JSON. */
  readonly consumes?: 'form';
  /** Takes an optional `Idempotency-Key` header: a retry returns the first answer; reused with another body, 422. */
  readonly idempotencyKey?: true;
  readonly summary: string;
}

/** `{ appointmentId: string }` for `/appointments/{appointmentId}/cancel`. */
export type PathParams<P extends string> = P extends `${string}{${infer K}}${infer Rest}`
  ? { [key in K]: string } & PathParams<Rest>
  : Record<never, string>;

export type ResponseOf<R> = R extends ApiRoute<string, infer _S, infer _Q, infer T> ? T : never;
export type BodyInput<R> =
  R extends ApiRoute<string, infer S, infer _Q, unknown>
    ? S extends v.GenericSchema
      ? v.InferInput<S>
      : undefined
    : never;
export type QueryInput<R> =
  R extends ApiRoute<string, infer _S, infer Q, unknown>
    ? Q extends v.GenericSchema
      ? v.InferInput<Q>
      : undefined
    : never;

function route<
  const P extends string,
  R,
  S extends v.GenericSchema | undefined = undefined,
  Q extends v.GenericSchema | undefined = undefined,
>(r: ApiRoute<P, S, Q, R>): ApiRoute<P, S, Q, R> {
  return r;
}

export { ANY_USER, CARE };

type AppointmentResponse = { appointment: Appointment };
export interface AvailabilityResponse {
  availability: Availability;
  /** False until the doctor has saved hours once (the answer then holds an empty week). */
  configured: boolean;
}
export interface RecordingState {
  active: boolean;
  consents: Record<string, boolean>;
}

export const api = {
  health: route({
    id: 'health',
    method: 'GET',
    path: '/health',
    roles: 'public',
    response: returns<HealthResponse>(),
    summary: 'Whether the service can reach its table (503 when not); no data, no authentication',
  }),
  registerPatient: route({
    id: 'registerPatient',
    method: 'POST',
    path: '/register',
    roles: 'public',
    body: RegisterPatientRequest,
    response: returns<SignUpResponse>(),
    status: 202,
    summary:
      'A patient signs up; a code goes to the email. The same answer whether or not the email has an account',
  }),
  getMe: route({
    id: 'getMe',
    method: 'GET',
    path: '/me',
    roles: ANY_USER,
    response: returns<MeResponse>(),
    summary: "The caller's profile and role",
  }),
  createDoctor: route({
    id: 'createDoctor',
    method: 'POST',
    path: '/admin/doctors',
    roles: ['admin'],
    body: CreateDoctorRequest,
    response: returns<CreatedDoctorResponse>(),
    status: 201,
    summary: 'An admin creates a doctor account; the doctor sets a password on first login',
  }),
  updateMe: route({
    id: 'updateMe',
    method: 'PATCH',
    path: '/me',
    roles: ANY_USER,
    body: UpdateMeRequest,
    response: returns<MeResponse>(),
    summary: 'Change own preferences (SMS opt-in/out)',
  }),
  sendPhoneCode: route({
    id: 'sendPhoneCode',
    method: 'POST',
    path: '/me/phone/verification',
    roles: ['patient'],
    response: returns<{ expiresAt: string }>(),
    status: 202,
    summary: "Texts a 6-digit code to the caller's mobile number (valid 10 minutes, 5 tries)",
  }),
  verifyPhone: route({
    id: 'verifyPhone',
    method: 'POST',
    path: '/me/phone/verify',
    roles: ['patient'],
    body: VerifyPhoneRequest,
    response: returns<MeResponse>(),
    summary: 'Confirms the mobile number with the texted code; only then does it receive texts',
  }),
  signOutEverywhere: route({
    id: 'signOutEverywhere',
    method: 'POST',
    path: '/me/sign-out',
    roles: ANY_USER,
    response: returns<SignOutResponse>(),
    summary:
      'Ends every session of the caller: tokens issued until now are refused, open WebSockets are closed',
  }),
  exportMyData: route({
    id: 'exportMyData',
    method: 'GET',
    path: '/me/export',
    roles: ['patient'],
    response: returns<DataExport>(),
    summary: 'Everything held about the calling patient, as a JSON download (audited)',
  }),
  deleteMyAccount: route({
    id: 'deleteMyAccount',
    method: 'POST',
    path: '/me/deletion',
    roles: ['patient'],
    body: AccountDeletionRequest,
    response: returns<AccountDeletion>(),
    summary:
      "Closes the calling patient's account: future visits cancelled, sign-in removed, sessions ended, profile erased; clinical records and audit kept",
  }),
  listDoctors: route({
    id: 'listDoctors',
    method: 'GET',
    path: '/doctors',
    roles: ANY_USER,
    query: DoctorSearchQuery,
    response: returns<Page<DoctorSummary>>(),
    summary: 'Doctor directory, searchable by name and specialty',
  }),
  listOpenSlots: route({
    id: 'listOpenSlots',
    method: 'GET',
    path: '/doctors/{doctorId}/slots',
    roles: CARE,
    query: SlotQuery,
    response: returns<{ items: Slot[] }>(),
    summary: "A doctor's open slots between two instants (at most 62 days)",
  }),
  getAvailability: route({
    id: 'getAvailability',
    method: 'GET',
    path: '/availability',
    roles: ['doctor'],
    response: returns<AvailabilityResponse>(),
    summary: "The calling doctor's weekly hours, slot length and days off",
  }),
  putAvailability: route({
    id: 'putAvailability',
    method: 'PUT',
    path: '/availability',
    roles: ['doctor'],
    body: Availability,
    response: returns<AvailabilityResponse>(),
    summary: "Replace the calling doctor's availability",
  }),
  bookAppointment: route({
    id: 'bookAppointment',
    method: 'POST',
    path: '/appointments',
    roles: ['patient'],
    body: BookAppointmentRequest,
    response: returns<AppointmentResponse>(),
    status: 201,
    idempotencyKey: true,
    summary:
      'Book an open slot (409 if past, outside availability or taken); `Idempotency-Key` makes a retry return the first booking',
  }),
  listAppointments: route({
    id: 'listAppointments',
    method: 'GET',
    path: '/appointments',
    roles: CARE,
    query: AppointmentListQuery,
    response: returns<Page<Appointment>>(),
    summary: "The caller's appointments by status and date range, paginated",
  }),
  getAppointment: route({
    id: 'getAppointment',
    method: 'GET',
    path: '/appointments/{appointmentId}',
    roles: CARE,
    response: returns<AppointmentResponse>(),
    summary: 'One appointment; only its doctor and patient see it',
  }),
  cancelAppointment: route({
    id: 'cancelAppointment',
    method: 'POST',
    path: '/appointments/{appointmentId}/cancel',
    roles: CARE,
    body: CancelAppointmentRequest,
    response: returns<AppointmentResponse>(),
    summary: 'Cancel with a reason (patients until the cut-off)',
  }),
  rescheduleAppointment: route({
    id: 'rescheduleAppointment',
    method: 'POST',
    path: '/appointments/{appointmentId}/reschedule',
    roles: ['patient'],
    body: RescheduleAppointmentRequest,
    response: returns<AppointmentResponse>(),
    summary: 'Move to another open slot: the appointment and its time move in one transaction',
  }),
  completeAppointment: route({
    id: 'completeAppointment',
    method: 'POST',
    path: '/appointments/{appointmentId}/complete',
    roles: ['doctor'],
    response: returns<AppointmentResponse>(),
    summary: 'Mark a started visit as completed',
  }),
  markNoShow: route({
    id: 'markNoShow',
    method: 'POST',
    path: '/appointments/{appointmentId}/no-show',
    roles: ['doctor'],
    response: returns<AppointmentResponse>(),
    summary: 'Mark a patient as not having come, after the start time',
  }),
  getVisitNotes: route({
    id: 'getVisitNotes',
    method: 'GET',
    path: '/appointments/{appointmentId}/notes',
    roles: CARE,
    response: returns<{ notes: VisitNotes }>(),
    summary: 'Doctor: the notes; patient: the summary, once shared',
  }),
  putVisitNotes: route({
    id: 'putVisitNotes',
    method: 'PUT',
    path: '/appointments/{appointmentId}/notes',
    roles: ['doctor'],
    body: VisitNotesRequest,
    response: returns<{ notes: VisitNotes }>(),
    summary: 'Write visit notes and a summary, and choose whether the patient sees the summary',
  }),
  listPatients: route({
    id: 'listPatients',
    method: 'GET',
    path: '/patients',
    roles: ['doctor'],
    query: PageQuery,
    response: returns<Page<PatientListItem>>(),
    summary: "The calling doctor's patients (anyone who has or had an appointment with them)",
  }),
  getPatient: route({
    id: 'getPatient',
    method: 'GET',
    path: '/patients/{patientId}',
    roles: ['doctor'],
    response: returns<PatientDetails>(),
    summary: "One of the doctor's patients: contact details and dates (the visits are paged separately)",
  }),
  listPatientVisits: route({
    id: 'listPatientVisits',
    method: 'GET',
    path: '/patients/{patientId}/visits',
    roles: ['doctor'],
    query: PageQuery,
    response: returns<Page<PatientVisit>>(),
    summary:
      "One of the doctor's patients: their visits with this doctor and the visit notes, newest first, paginated",
  }),
  checkIn: route({
    id: 'checkIn',
    method: 'POST',
    path: '/appointments/{appointmentId}/check-in',
    roles: ['patient'],
    body: CheckInRequest,
    response: returns<AppointmentResponse>(),
    summary: 'Patient checks in (device check + telehealth consent) from 15 minutes before the start',
  }),
  resendVisitLink: route({
    id: 'resendVisitLink',
    method: 'POST',
    path: '/appointments/{appointmentId}/visit-link',
    roles: ['doctor'],
    response: returns<{ rescue: RescueState }>(),
    summary: 'Text a late patient a new one-tap link to the visit (the previous link stops working)',
  }),
  getPassVisit: route({
    id: 'getPassVisit',
    method: 'GET',
    path: '/visit/patient',
    roles: 'public',
    response: returns<PatientPassVisit>(),
    summary:
      "A signed-out patient's visit (visit session from a texted link): the doctor's name, the time, its status; nothing else",
  }),
  passCheckIn: route({
    id: 'passCheckIn',
    method: 'POST',
    path: '/visit/patient/check-in',
    roles: 'public',
    body: CheckInRequest,
    response: returns<PatientPassVisit>(),
    summary: 'A signed-out patient checks in (visit session): device check and telehealth consent',
  }),
  passJoinCall: route({
    id: 'passJoinCall',
    method: 'POST',
    path: '/visit/patient/call',
    roles: 'public',
    response: returns<JoinInfo>(),
    summary:
      "A signed-out patient's video grant once admitted (visit session): the visit's room, as the appointment's patient",
  }),
  listRescues: route({
    id: 'listRescues',
    method: 'GET',
    path: '/visit-rescues',
    roles: ['doctor'],
    query: RescueQuery,
    response: returns<{ items: RescueState[] }>(),
    summary: "The calling doctor's late patients' rescues (texted, opened) for visits starting in a range",
  }),
  visitRates: route({
    id: 'visitRates',
    method: 'GET',
    path: '/visit-rates',
    roles: ['doctor'],
    query: VisitRatesQuery,
    response: returns<VisitRates>(),
    summary: "The calling doctor's visits, no-shows and late joins per week (practice time zone)",
  }),
  waitingRoom: route({
    id: 'waitingRoom',
    method: 'GET',
    path: '/waiting-room',
    roles: ['doctor'],
    response: returns<{ items: WaitingPatient[] }>(),
    summary: "The calling doctor's checked-in patients: who, since when, device check passed",
  }),
  admitPatient: route({
    id: 'admitPatient',
    method: 'POST',
    path: '/appointments/{appointmentId}/admit',
    roles: ['doctor'],
    body: ConsentBody,
    response: returns<AppointmentResponse>(),
    summary: 'Doctor admits a checked-in patient; both enter the call',
  }),
  runningLate: route({
    id: 'runningLate',
    method: 'POST',
    path: '/appointments/{appointmentId}/running-late',
    roles: ['doctor'],
    body: RunningLateRequest,
    response: returns<{ appointmentId: string; minutes: number }>(),
    summary: 'Tell the waiting patient the doctor is running late',
  }),
  joinCall: route({
    id: 'joinCall',
    method: 'POST',
    path: '/appointments/{appointmentId}/call',
    roles: CARE,
    response: returns<JoinInfo>(),
    summary: 'Join the video call: ICE servers (p2p) or a Twilio token for this room only',
  }),
  endVisit: route({
    id: 'endVisit',
    method: 'POST',
    path: '/appointments/{appointmentId}/end',
    roles: ['doctor'],
    response: returns<AppointmentResponse>(),
    summary: 'Doctor ends the visit for both (→ completed)',
  }),
  recordingConsent: route({
    id: 'recordingConsent',
    method: 'POST',
    path: '/appointments/{appointmentId}/recording-consent',
    roles: CARE,
    body: RecordingConsentRequest,
    response: returns<RecordingState>(),
    summary: 'Give or withdraw consent to recording (Twilio provider; recording needs both)',
  }),
  listMessages: route({
    id: 'listMessages',
    method: 'GET',
    path: '/appointments/{appointmentId}/messages',
    roles: CARE,
    query: MessagesQuery,
    response: returns<Page<ChatMessage>>(),
    summary: 'The chat transcript, oldest first, for the two participants only',
  }),
  leaveVisitFeedback: route({
    id: 'leaveVisitFeedback',
    method: 'POST',
    path: '/appointments/{appointmentId}/feedback',
    roles: CARE,
    body: VisitFeedbackRequest,
    response: returns<{ appointmentId: string; kind: 'visit' | 'technical' }>(),
    status: 201,
    summary:
      'After the visit ended: the patient rates the visit and the call (1–5, optional comment), the doctor flags technical problems; once each (409 after)',
  }),
  sendCallQuality: route({
    id: 'sendCallQuality',
    method: 'POST',
    path: '/appointments/{appointmentId}/call-quality',
    roles: CARE,
    body: CallQualitySummary,
    response: returns<{ appointmentId: string }>(),
    status: 201,
    summary:
      "One participant's call-quality summary from getStats (numbers and enums only, no addresses); once each, after the call",
  }),
  visitQualityReport: route({
    id: 'visitQualityReport',
    method: 'GET',
    path: '/admin/visit-quality',
    roles: ['admin'],
    query: VisitQualityQuery,
    response: returns<VisitQualityReport>(),
    summary:
      'Ratings, technical flags and call quality of one ISO week, worst first, by doctor and browser (paged; the first page adds the summary; audited)',
  }),
  listDoctorAccounts: route({
    id: 'listDoctorAccounts',
    method: 'GET',
    path: '/admin/doctors',
    roles: ['admin'],
    query: DoctorAccountQuery,
    response: returns<Page<DoctorAccount>>(),
    summary:
      'Doctor accounts by name: search by name or specialty, `status` active, deactivated or all; with last sign-in; paged',
  }),
  deactivateDoctor: route({
    id: 'deactivateDoctor',
    method: 'POST',
    path: '/admin/doctors/{doctorId}/deactivate',
    roles: ['admin'],
    response: returns<DeactivationResponse>(),
    summary:
      'The doctor can no longer sign in, every session ends and the directory leaves them out; booked visits stay (their number is returned); audited',
  }),
  reactivateDoctor: route({
    id: 'reactivateDoctor',
    method: 'POST',
    path: '/admin/doctors/{doctorId}/reactivate',
    roles: ['admin'],
    response: returns<DoctorAccountResponse>(),
    summary: 'The doctor can sign in again and is back in the directory; audited',
  }),
  resendInvitation: route({
    id: 'resendInvitation',
    method: 'POST',
    path: '/admin/doctors/{doctorId}/invitation',
    roles: ['admin'],
    response: returns<ResentInvitationResponse>(),
    summary:
      'A new temporary password for a doctor who never signed in (409 `invitation_accepted` after the first sign-in); audited',
  }),
  readAuditTrail: route({
    id: 'readAuditTrail',
    method: 'GET',
    path: '/admin/audit',
    roles: ['admin'],
    query: AuditSearchQuery,
    response: returns<Page<AuditRow>>(),
    summary:
      "Search who did what to whose records: days `from`–`to` in `zone` (the admin's; at most 92 days), optionally by `patientId`, `actorId` and `action`, newest first, paged, with names (reading them is audited)",
  }),
  exportAuditTrail: route({
    id: 'exportAuditTrail',
    method: 'GET',
    path: '/admin/audit/export',
    roles: ['admin'],
    query: AuditExportQuery,
    response: returns<string>(),
    produces: 'text/csv',
    summary:
      'The same search as CSV in words (times in `zone`, names, action, subject, outcome, request id, then the ids; attachment, newest first, at most 10,000 rows; `X-Audit-Truncated: true` when cut)',
  }),
  fhirPatient: route({
    id: 'fhirPatient',
    method: 'GET',
    path: '/fhir/Patient/{patientId}',
    roles: ['doctor', 'admin'],
    response: returns<FhirResource>(),
    produces: FHIR_MEDIA_TYPE,
    summary:
      "FHIR R4 Patient: one of the doctor's patients (an admin: any patient); errors as OperationOutcome (audited)",
  }),
  fhirPatientEverything: route({
    id: 'fhirPatientEverything',
    method: 'GET',
    path: '/fhir/Patient/{patientId}/$everything',
    roles: ['doctor', 'admin'],
    response: returns<FhirBundle>(),
    produces: FHIR_MEDIA_TYPE,
    summary:
      'FHIR R4 searchset Bundle of the patient: Patient, Practitioners, Appointments, and for visits that took place Encounter, shared summary (DocumentReference) and chat (Communication); a doctor gets their own visits; an attachment (audited)',
  }),
  fhirEncounter: route({
    id: 'fhirEncounter',
    method: 'GET',
    path: '/fhir/Encounter/{appointmentId}',
    roles: ['doctor', 'admin'],
    response: returns<FhirResource>(),
    produces: FHIR_MEDIA_TYPE,
    summary:
      "FHIR R4 Encounter: a visit that took place, for its doctor (an admin: any); its id is the appointment's (audited)",
  }),
  fhirEncounterEverything: route({
    id: 'fhirEncounterEverything',
    method: 'GET',
    path: '/fhir/Encounter/{appointmentId}/$everything',
    roles: ['doctor', 'admin'],
    response: returns<FhirBundle>(),
    produces: FHIR_MEDIA_TYPE,
    summary:
      'FHIR R4 searchset Bundle of one visit: Encounter, Patient, Practitioner, Appointment, shared summary and chat; an attachment (audited)',
  }),
  twilioMessagingWebhook: route({
    id: 'twilioMessagingWebhook',
    method: 'POST',
    path: TWILIO_MESSAGING_WEBHOOK_PATH,
    // No Cognito: Twilio calls it, and the handler checks its X-Twilio-Signature (403 otherwise).
    roles: 'public',
    consumes: 'form',
    body: TwilioMessagingWebhook,
    response: returns<string>(),
    produces: 'text/xml',
    summary:
      "Twilio's Messaging webhook (signed): delivery reports of texts, and STOP/START replies that switch the patient's SMS opt-in; answers an empty TwiML <Response/>",
  }),
  inviteGuest: route({
    id: 'inviteGuest',
    method: 'PUT',
    path: '/appointments/{appointmentId}/guest',
    roles: CARE,
    body: InviteGuestRequest,
    response: returns<{ guest: GuestState }>(),
    summary:
      "The patient or the visit's doctor invites one guest (interpreter, family member, carer): a text with a one-time link goes to their mobile; replaces an earlier guest (whose link dies); audited",
  }),
  getGuest: route({
    id: 'getGuest',
    method: 'GET',
    path: '/appointments/{appointmentId}/guest',
    roles: CARE,
    response: returns<{ guest: GuestState | null }>(),
    summary: "The visit's guest and where they stand (invited, patient's consent, checked in, admitted)",
  }),
  removeGuest: route({
    id: 'removeGuest',
    method: 'DELETE',
    path: '/appointments/{appointmentId}/guest',
    roles: CARE,
    response: returns<{ removed: true }>(),
    summary: "Removes the visit's guest: their link and session die; audited",
  }),
  consentToGuest: route({
    id: 'consentToGuest',
    method: 'POST',
    path: '/appointments/{appointmentId}/guest/consent',
    roles: ['patient'],
    body: GuestConsentRequest,
    response: returns<{ guest: GuestState }>(),
    summary: 'The patient agrees to the guest the doctor invited (recorded with the visit); audited',
  }),
  admitGuest: route({
    id: 'admitGuest',
    method: 'POST',
    path: '/appointments/{appointmentId}/guest/admit',
    roles: ['doctor'],
    response: returns<{ guest: GuestState }>(),
    summary: 'The doctor admits the checked-in guest the patient agreed to; audited',
  }),
  redeemVisitPass: route({
    id: 'redeemVisitPass',
    method: 'POST',
    path: '/passes/redeem',
    roles: 'public',
    body: RedeemPassRequest,
    response: returns<RedeemedPass>(),
    summary:
      'Redeems a one-time visit link once for a visit session (`Authorization: Pass <sessionToken>`); a used, expired or unknown link: 410 `pass_unusable`; rate-limited per address',
  }),
  getGuestVisit: route({
    id: 'getGuestVisit',
    method: 'GET',
    path: '/visit',
    roles: 'public',
    response: returns<GuestVisit>(),
    summary:
      "A guest's visit (visit session): the doctor's name, the time, whether they are admitted; nothing of the patient's record",
  }),
  guestCheckIn: route({
    id: 'guestCheckIn',
    method: 'POST',
    path: '/visit/check-in',
    roles: 'public',
    body: GuestCheckInRequest,
    response: returns<GuestVisit>(),
    summary: 'A guest checks in (visit session): their name, device check and telehealth consent',
  }),
  guestJoinCall: route({
    id: 'guestJoinCall',
    method: 'POST',
    path: '/visit/call',
    roles: 'public',
    response: returns<JoinInfo>(),
    summary: "An admitted guest's video grant (visit session): the visit's room, the guest's own identity",
  }),
  listOutbox: route({
    id: 'listOutbox',
    method: 'GET',
    path: '/dev/outbox',
    roles: ANY_USER,
    query: PageQuery,
    response: returns<Page<OutboxMessage>>(),
    summary: 'Development only: the text messages the local platform would have sent',
  }),
} as const;

export type Api = typeof api;
export type RouteId = keyof Api;
