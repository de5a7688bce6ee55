/**
 * THE routes table. The CDK app creates one Lambda and one API resource per entry, the local gateway
 * mounts the same entries, and the authorization-matrix tests read it. A route exists only here.
 *
 * `handler` is the file under functions/handlers/ whose `handler` export serves the route.
 */
import type * as v from 'valibot';
import type { Role } from '../shared/roles';
import {
  AppointmentListQuery,
  AuditQuery,
  Availability,
  BookAppointmentRequest,
  CancelAppointmentRequest,
  DoctorSearchQuery,
  PageQuery,
  RescheduleAppointmentRequest,
  SlotQuery,
  UpdateMeRequest,
  VisitNotesRequest,
} from '../shared/appointments';
import {
  ChatSendFrame,
  CheckInRequest,
  ConsentBody,
  JoinCallFrame,
  LeaveCallFrame,
  MediaStateFrame,
  MessagesQuery,
  RecordingConsentRequest,
  RunningLateRequest,
  SignalFrame,
  WsAction,
} from '../shared/live';
import { CreateDoctorRequest, PingFrame, RegisterPatientRequest } from '../shared/schemas';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Capability = 'sms' | 'reminders' | 'realtime' | 'video';

export interface HttpRoute<
  S extends v.GenericSchema | undefined = v.GenericSchema | undefined,
  Q extends v.GenericSchema | undefined = v.GenericSchema | undefined,
> {
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  readonly path: string;
  readonly handler: string;
  /** `public` routes have no Cognito authorizer. */
  readonly roles: readonly Role[] | 'public';
  readonly body?: S;
  /** Schema of the query string (all values strings, as API Gateway delivers them). */
  readonly query?: Q;
  /** Needs Cognito admin rights (creates users). */
  readonly cognitoAdmin?: boolean;
  /**
   * Outside services the handler reaches besides the table, so the CDK grants exactly these:
   * `sms` (Twilio secret), `reminders` (EventBridge Scheduler), `realtime` (posts to WebSocket
   * connections), `video` (the video provider and its Twilio secret).
   */
  readonly uses?: readonly Capability[];
  /** Mounted by the local platform only (development pages); never deployed. */
  readonly localOnly?: boolean;
  readonly summary: string;
}

export interface WsRoute<S extends v.GenericSchema | undefined = v.GenericSchema | undefined> {
  readonly id: string;
  /** `$connect`, `$disconnect`, or the value of a frame's `action` field. */
  readonly route: string;
  readonly handler: string;
  readonly roles: readonly Role[];
  readonly frame?: S;
  readonly summary: string;
}

const ANY_USER: readonly Role[] = ['patient', 'doctor', 'admin'];
const CARE: readonly Role[] = ['patient', 'doctor'];

function httpRoute<
  S extends v.GenericSchema | undefined = undefined,
  Q extends v.GenericSchema | undefined = undefined,
>(route: HttpRoute<S, Q>): HttpRoute<S, Q> {
  return route;
}
function wsRoute<S extends v.GenericSchema | undefined = undefined>(route: WsRoute<S>): WsRoute<S> {
  return route;
}

export const routes = {
  registerPatient: httpRoute({
    id: 'registerPatient',
    method: 'POST',
    path: '/register',
    handler: 'register-patient',
    roles: 'public',
    body: RegisterPatientRequest,
    cognitoAdmin: true,
    summary: 'A patient creates their own account (always in group patient)',
  }),
  getMe: httpRoute({
    id: 'getMe',
    method: 'GET',
    path: '/me',
    handler: 'get-me',
    roles: ANY_USER,
    summary: "The caller's profile and role",
  }),
  createDoctor: httpRoute({
    id: 'createDoctor',
    method: 'POST',
    path: '/admin/doctors',
    handler: 'create-doctor',
    roles: ['admin'],
    body: CreateDoctorRequest,
    cognitoAdmin: true,
    summary: 'An admin creates a doctor account; the doctor sets a password on first login',
  }),
  updateMe: httpRoute({
    id: 'updateMe',
    method: 'PATCH',
    path: '/me',
    handler: 'update-me',
    roles: ANY_USER,
    body: UpdateMeRequest,
    summary: 'Change own preferences (SMS opt-in/out)',
  }),
  listDoctors: httpRoute({
    id: 'listDoctors',
    method: 'GET',
    path: '/doctors',
    handler: 'list-doctors',
    roles: ANY_USER,
    query: DoctorSearchQuery,
    summary: 'Doctor directory, searchable by name and specialty',
  }),
  listOpenSlots: httpRoute({
    id: 'listOpenSlots',
    method: 'GET',
    path: '/doctors/{doctorId}/slots',
    handler: 'list-open-slots',
    roles: CARE,
    query: SlotQuery,
    summary: "A doctor's open slots between two instants (at most 62 days)",
  }),
  getAvailability: httpRoute({
    id: 'getAvailability',
    method: 'GET',
    path: '/availability',
    handler: 'get-availability',
    roles: ['doctor'],
    summary: "The calling doctor's weekly hours, slot length and days off",
  }),
  putAvailability: httpRoute({
    id: 'putAvailability',
    method: 'PUT',
    path: '/availability',
    handler: 'put-availability',
    roles: ['doctor'],
    body: Availability,
    summary: "Replace the calling doctor's availability",
  }),
  bookAppointment: httpRoute({
    id: 'bookAppointment',
    method: 'POST',
    path: '/appointments',
    handler: 'book-appointment',
    roles: ['patient'],
    body: BookAppointmentRequest,
    uses: ['sms', 'reminders', 'realtime'],
    summary: 'Book an open slot (409 if past, outside availability or taken)',
  }),
  listAppointments: httpRoute({
    id: 'listAppointments',
    method: 'GET',
    path: '/appointments',
    handler: 'list-appointments',
    roles: CARE,
    query: AppointmentListQuery,
    summary: "The caller's appointments by status and date range, paginated",
  }),
  getAppointment: httpRoute({
    id: 'getAppointment',
    method: 'GET',
    path: '/appointments/{appointmentId}',
    handler: 'get-appointment',
    roles: CARE,
    summary: 'One appointment; only its doctor and patient see it',
  }),
  cancelAppointment: httpRoute({
    id: 'cancelAppointment',
    method: 'POST',
    path: '/appointments/{appointmentId}/cancel',
    handler: 'cancel-appointment',
    roles: CARE,
    body: CancelAppointmentRequest,
    uses: ['sms', 'reminders', 'realtime'],
    summary: 'Cancel with a reason (patients until the cut-off)',
  }),
  rescheduleAppointment: httpRoute({
    id: 'rescheduleAppointment',
    method: 'POST',
    path: '/appointments/{appointmentId}/reschedule',
    handler: 'reschedule-appointment',
    roles: ['patient'],
    body: RescheduleAppointmentRequest,
    uses: ['sms', 'reminders', 'realtime'],
    summary: 'Move to another open slot: new slot taken first, old one freed after',
  }),
  completeAppointment: httpRoute({
    id: 'completeAppointment',
    method: 'POST',
    path: '/appointments/{appointmentId}/complete',
    handler: 'complete-appointment',
    roles: ['doctor'],
    uses: ['realtime'],
    summary: 'Mark a started visit as completed',
  }),
  markNoShow: httpRoute({
    id: 'markNoShow',
    method: 'POST',
    path: '/appointments/{appointmentId}/no-show',
    handler: 'mark-no-show',
    roles: ['doctor'],
    uses: ['realtime'],
    summary: 'Mark a patient as not having come, after the start time',
  }),
  getVisitNotes: httpRoute({
    id: 'getVisitNotes',
    method: 'GET',
    path: '/appointments/{appointmentId}/notes',
    handler: 'get-visit-notes',
    roles: CARE,
    summary: 'Doctor: the notes; patient: the summary, once shared',
  }),
  putVisitNotes: httpRoute({
    id: 'putVisitNotes',
    method: 'PUT',
    path: '/appointments/{appointmentId}/notes',
    handler: 'put-visit-notes',
    roles: ['doctor'],
    body: VisitNotesRequest,
    summary: 'Write visit notes and a summary, and choose whether the patient sees the summary',
  }),
  listPatients: httpRoute({
    id: 'listPatients',
    method: 'GET',
    path: '/patients',
    handler: 'list-patients',
    roles: ['doctor'],
    query: PageQuery,
    summary: "The calling doctor's patients (anyone who has or had an appointment with them)",
  }),
  getPatient: httpRoute({
    id: 'getPatient',
    method: 'GET',
    path: '/patients/{patientId}',
    handler: 'get-patient',
    roles: ['doctor'],
    summary: "One of the doctor's patients with their visits and notes with this doctor",
  }),
  checkIn: httpRoute({
    id: 'checkIn',
    method: 'POST',
    path: '/appointments/{appointmentId}/check-in',
    handler: 'check-in',
    roles: ['patient'],
    body: CheckInRequest,
    uses: ['realtime'],
    summary: 'Patient checks in (device check + telehealth consent) from 15 minutes before the start',
  }),
  waitingRoom: httpRoute({
    id: 'waitingRoom',
    method: 'GET',
    path: '/waiting-room',
    handler: 'waiting-room',
    roles: ['doctor'],
    summary: "The calling doctor's checked-in patients: who, since when, device check passed",
  }),
  admitPatient: httpRoute({
    id: 'admitPatient',
    method: 'POST',
    path: '/appointments/{appointmentId}/admit',
    handler: 'admit-patient',
    roles: ['doctor'],
    body: ConsentBody,
    uses: ['realtime'],
    summary: 'Doctor admits a checked-in patient; both enter the call',
  }),
  runningLate: httpRoute({
    id: 'runningLate',
    method: 'POST',
    path: '/appointments/{appointmentId}/running-late',
    handler: 'running-late',
    roles: ['doctor'],
    body: RunningLateRequest,
    uses: ['realtime'],
    summary: 'Tell the waiting patient the doctor is running late',
  }),
  joinCall: httpRoute({
    id: 'joinCall',
    method: 'POST',
    path: '/appointments/{appointmentId}/call',
    handler: 'join-call',
    roles: CARE,
    uses: ['video'],
    summary: 'Join the video call: ICE servers (p2p) or a Twilio token for this room only',
  }),
  endVisit: httpRoute({
    id: 'endVisit',
    method: 'POST',
    path: '/appointments/{appointmentId}/end',
    handler: 'end-visit',
    roles: ['doctor'],
    uses: ['realtime', 'video'],
    summary: 'Doctor ends the visit for both (→ completed)',
  }),
  recordingConsent: httpRoute({
    id: 'recordingConsent',
    method: 'POST',
    path: '/appointments/{appointmentId}/recording-consent',
    handler: 'recording-consent',
    roles: CARE,
    body: RecordingConsentRequest,
    uses: ['realtime', 'video'],
    summary: 'Give or withdraw consent to recording (Twilio provider; recording needs both)',
  }),
  listMessages: httpRoute({
    id: 'listMessages',
    method: 'GET',
    path: '/appointments/{appointmentId}/messages',
    handler: 'list-messages',
    roles: CARE,
    query: MessagesQuery,
    summary: 'The chat transcript, oldest first, for the two participants only',
  }),
  readAuditTrail: httpRoute({
    id: 'readAuditTrail',
    method: 'GET',
    path: '/admin/audit',
    handler: 'read-audit-trail',
    roles: ['admin'],
    query: AuditQuery,
    summary: 'Who did what to which record on one UTC day, newest first (ids only, no PHI)',
  }),
  listOutbox: httpRoute({
    id: 'listOutbox',
    method: 'GET',
    path: '/dev/outbox',
    handler: 'list-outbox',
    roles: ANY_USER,
    query: PageQuery,
    localOnly: true,
    summary: 'Development only: the text messages the local platform would have sent',
  }),
} as const;

/** Functions invoked by AWS services rather than by a client. */
export const jobs = {
  sendReminder: {
    id: 'sendReminder',
    handler: 'send-reminder',
    uses: ['sms'] as readonly Capability[],
    summary: 'Fired by the reminder schedule',
  },
} as const;

export const wsRoutes = {
  connect: wsRoute({
    id: 'wsConnect',
    route: '$connect',
    handler: 'ws-connect',
    roles: ANY_USER,
    summary: 'Records the authenticated connection',
  }),
  disconnect: wsRoute({
    id: 'wsDisconnect',
    route: '$disconnect',
    handler: 'ws-disconnect',
    roles: ANY_USER,
    summary: 'Forgets the connection',
  }),
  fallback: wsRoute({
    id: 'wsDefault',
    route: '$default',
    handler: 'ws-default',
    roles: ANY_USER,
    summary: 'Frames with an unknown or missing action get an error frame',
  }),
  callJoin: wsRoute({
    id: 'wsCallJoin',
    route: WsAction.callJoin,
    handler: 'ws-call-join',
    roles: CARE,
    frame: JoinCallFrame,
    summary: 'This connection joins the call of an appointment in progress; the peer is told',
  }),
  callLeave: wsRoute({
    id: 'wsCallLeave',
    route: WsAction.callLeave,
    handler: 'ws-call-leave',
    roles: CARE,
    frame: LeaveCallFrame,
    summary: 'This connection leaves the call; the peer is told',
  }),
  signal: wsRoute({
    id: 'wsSignal',
    route: WsAction.signal,
    handler: 'ws-signal',
    roles: CARE,
    frame: SignalFrame,
    summary: 'WebRTC offer/answer/candidate relayed to the other participant only',
  }),
  media: wsRoute({
    id: 'wsMedia',
    route: WsAction.media,
    handler: 'ws-media',
    roles: CARE,
    frame: MediaStateFrame,
    summary: 'Mute/camera/screen-share state relayed to the other participant',
  }),
  chatSend: wsRoute({
    id: 'wsChatSend',
    route: WsAction.chatSend,
    handler: 'ws-chat-send',
    roles: CARE,
    frame: ChatSendFrame,
    summary: 'Chat message: stored once per client id, acknowledged, delivered to the other participant',
  }),
  ping: wsRoute({
    id: 'wsPing',
    route: WsAction.ping,
    handler: 'ws-ping',
    roles: ANY_USER,
    frame: PingFrame,
    summary: 'Heartbeat; answered with a pong frame through @connections',
  }),
} as const;

/** The Lambda authorizer of the WebSocket API's $connect route. */
export const wsAuthorizer = { id: 'wsAuthorizer', handler: 'ws-authorizer' } as const;

export const httpRouteList: readonly HttpRoute[] = Object.values(routes);
export const wsRouteList: readonly WsRoute[] = Object.values(wsRoutes);
