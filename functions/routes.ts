/**
 * The server side of the API contract (`shared/contract.ts`): for each REST route the handler file
 * and the capabilities it uses; the WebSocket actions and jobs. The CDK app creates one Lambda and
 * one API resource per entry, the local gateway mounts the same entries, and the authorization
 * matrix reads them.
 *
 * `handler` is the file under functions/handlers/ whose `handler` export serves the route.
 */
import type * as v from 'valibot';
import {
  ANY_USER,
  CARE,
  api,
  type Api,
  type ApiRoute,
  type HttpMethod,
  type RouteId,
} from '../shared/contract';
import {
  ChatReadFrame,
  WaitingPresenceFrame,
  ChatSendFrame,
  JoinCallFrame,
  LeaveCallFrame,
  MediaStateFrame,
  SignalFrame,
  WsAction,
} from '../shared/live';
import type { Role } from '../shared/roles';
import { PingFrame } from '../shared/schemas';

export type { HttpMethod };
export type Capability = 'sms' | 'reminders' | 'realtime' | 'video';

/** A contract route with its server side: what the CDK app and the local gateway mount. */
export type HttpRoute<
  S extends v.GenericSchema | undefined = v.GenericSchema | undefined,
  Q extends v.GenericSchema | undefined = v.GenericSchema | undefined,
> = ApiRoute<string, S, Q, unknown> & ServerSide;

export interface WsRoute<S extends v.GenericSchema | undefined = v.GenericSchema | undefined> {
  readonly id: string;
  /** `$connect`, `$disconnect`, or the value of a frame's `action` field. */
  readonly route: string;
  readonly handler: string;
  readonly roles: readonly Role[];
  readonly frame?: S;
  readonly summary: string;
}

function wsRoute<S extends v.GenericSchema | undefined = undefined>(route: WsRoute<S>): WsRoute<S> {
  return route;
}

/** What the server adds to each contract route: its handler file and what it may reach. */
interface ServerSide {
  readonly handler: string;
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
}

const APPOINTMENT_CHANGE: readonly Capability[] = ['sms', 'reminders', 'realtime'];

const serverSide = {
  registerPatient: { handler: 'register-patient', cognitoAdmin: true },
  getMe: { handler: 'get-me' },
  createDoctor: { handler: 'create-doctor', cognitoAdmin: true },
  updateMe: { handler: 'update-me' },
  signOutEverywhere: { handler: 'sign-out-everywhere', uses: ['realtime'] },
  listDoctors: { handler: 'list-doctors' },
  listOpenSlots: { handler: 'list-open-slots' },
  getAvailability: { handler: 'get-availability' },
  putAvailability: { handler: 'put-availability' },
  bookAppointment: { handler: 'book-appointment', uses: APPOINTMENT_CHANGE },
  listAppointments: { handler: 'list-appointments' },
  getAppointment: { handler: 'get-appointment' },
  cancelAppointment: { handler: 'cancel-appointment', uses: APPOINTMENT_CHANGE },
  rescheduleAppointment: { handler: 'reschedule-appointment', uses: APPOINTMENT_CHANGE },
  completeAppointment: { handler: 'complete-appointment', uses: ['realtime'] },
  markNoShow: { handler: 'mark-no-show', uses: ['realtime'] },
  getVisitNotes: { handler: 'get-visit-notes' },
  putVisitNotes: { handler: 'put-visit-notes' },
  listPatients: { handler: 'list-patients' },
  getPatient: { handler: 'get-patient' },
  checkIn: { handler: 'check-in', uses: ['realtime'] },
  waitingRoom: { handler: 'waiting-room' },
  admitPatient: { handler: 'admit-patient', uses: ['realtime'] },
  runningLate: { handler: 'running-late', uses: ['realtime'] },
  joinCall: { handler: 'join-call', uses: ['video'] },
  endVisit: { handler: 'end-visit', uses: ['realtime', 'video'] },
  recordingConsent: { handler: 'recording-consent', uses: ['realtime', 'video'] },
  listMessages: { handler: 'list-messages' },
  readAuditTrail: { handler: 'read-audit-trail' },
  listOutbox: { handler: 'list-outbox', localOnly: true },
} as const satisfies Record<RouteId, ServerSide>;

type Routes = { readonly [K in RouteId]: Api[K] & (typeof serverSide)[K] };

/** Every contract route with its server side; one entry per route, keyed by the contract's ids. */
export const routes = Object.fromEntries(
  (Object.keys(api) as RouteId[]).map((id) => [id, { ...api[id], ...serverSide[id] }]),
) as Routes;

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
  chatRead: wsRoute({
    id: 'wsChatRead',
    route: WsAction.chatRead,
    handler: 'ws-chat-read',
    roles: CARE,
    frame: ChatReadFrame,
    summary: 'Read receipt: relayed to the other participant only',
  }),
  waitingPresence: wsRoute({
    id: 'wsWaitingPresence',
    route: WsAction.waitingPresence,
    handler: 'ws-waiting-presence',
    roles: ['patient'],
    frame: WaitingPresenceFrame,
    summary: "The patient opened or closed the waiting room; relayed to the appointment's doctor",
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
