/**
 * The WebSocket API's routes: for each action its handler file, who may send it, its frame schema
 * and what it may do to the table. Apart from functions/routes.ts (which re-exports them) so that a
 * WebSocket function's bundle does not hold the REST contract and its schemas
 * (docs/adr/0018-cold-start.md).
 */
import type * as v from 'valibot';
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
import { ANY_USER, CARE, type Role } from '../shared/roles';
import { PingFrame } from '../shared/schemas';
import type { TableAccess } from './routes';

export interface WsRoute<S extends v.GenericSchema | undefined = v.GenericSchema | undefined> {
  readonly id: string;
  /** `$connect`, `$disconnect`, or the value of a frame's `action` field. */
  readonly route: string;
  readonly handler: string;
  /** `guest`: a visit-pass guest, for the call of its own appointment only. */
  readonly roles: readonly (Role | 'guest')[];
  readonly frame?: S;
  readonly summary: string;
  /**
   * What the handler does to the table. Every rate-limited frame adds to its connection's frame
   * counter and $connect/$disconnect write the connection record, so those are `write`; `ping`
   * touches no table and gets the least grant there is.
   */
  readonly access: TableAccess;
  /**
   * A two-way route: API Gateway sends the handler's response body back to the caller (a route
   * response, `RouteResponseSelectionExpression` `$default`), so the answer needs no `@connections`
   * call. The local gateway does the same for these routes only.
   */
  readonly routeResponse?: true;
}

function wsRoute<S extends v.GenericSchema | undefined = undefined>(route: WsRoute<S>): WsRoute<S> {
  return route;
}

/** The call's own actions: its doctor and patient, and a guest the doctor admitted. */
const IN_CALL = [...CARE, 'guest'] as const;
/** Any socket: signed-in users and visit-pass guests (whose heartbeat is a ping like anyone's). */
const ANY_SOCKET = [...ANY_USER, 'guest'] as const;

export const wsRoutes = {
  connect: wsRoute({
    id: 'wsConnect',
    route: '$connect',
    handler: 'ws-connect',
    access: 'write',
    roles: ANY_SOCKET,
    summary: 'Records the authenticated connection',
  }),
  disconnect: wsRoute({
    id: 'wsDisconnect',
    route: '$disconnect',
    handler: 'ws-disconnect',
    access: 'write',
    roles: ANY_SOCKET,
    summary: 'Forgets the connection',
  }),
  fallback: wsRoute({
    id: 'wsDefault',
    route: '$default',
    handler: 'ws-default',
    access: 'write',
    roles: ANY_SOCKET,
    summary: 'Frames with an unknown or missing action get an error frame',
  }),
  callJoin: wsRoute({
    id: 'wsCallJoin',
    route: WsAction.callJoin,
    handler: 'ws-call-join',
    access: 'write',
    roles: IN_CALL,
    frame: JoinCallFrame,
    summary:
      'This connection joins the call of an appointment in progress; the others are told, the joiner learns who is here',
  }),
  callLeave: wsRoute({
    id: 'wsCallLeave',
    route: WsAction.callLeave,
    handler: 'ws-call-leave',
    access: 'write',
    roles: IN_CALL,
    frame: LeaveCallFrame,
    summary: 'This connection leaves the call; the others are told why',
  }),
  signal: wsRoute({
    id: 'wsSignal',
    route: WsAction.signal,
    handler: 'ws-signal',
    access: 'write',
    roles: IN_CALL,
    frame: SignalFrame,
    summary:
      'WebRTC offer/answer/candidates relayed to the one participant of the call it is addressed to (`to`)',
  }),
  media: wsRoute({
    id: 'wsMedia',
    route: WsAction.media,
    handler: 'ws-media',
    access: 'write',
    roles: IN_CALL,
    frame: MediaStateFrame,
    summary: 'Mute/camera/screen-share state relayed to everyone else in the call',
  }),
  chatSend: wsRoute({
    id: 'wsChatSend',
    route: WsAction.chatSend,
    handler: 'ws-chat-send',
    access: 'write',
    roles: CARE,
    frame: ChatSendFrame,
    summary: 'Chat message: stored once per client id, acknowledged, delivered to the other participant',
  }),
  chatRead: wsRoute({
    id: 'wsChatRead',
    route: WsAction.chatRead,
    handler: 'ws-chat-read',
    access: 'write',
    roles: CARE,
    frame: ChatReadFrame,
    summary: 'Read receipt: relayed to the other participant only',
  }),
  waitingPresence: wsRoute({
    id: 'wsWaitingPresence',
    route: WsAction.waitingPresence,
    handler: 'ws-waiting-presence',
    access: 'write',
    roles: ['patient'],
    frame: WaitingPresenceFrame,
    summary: "The patient opened or closed the waiting room; relayed to the appointment's doctor",
  }),
  ping: wsRoute({
    id: 'wsPing',
    route: WsAction.ping,
    handler: 'ws-ping',
    access: 'read',
    roles: ANY_SOCKET,
    frame: PingFrame,
    routeResponse: true,
    summary: 'Heartbeat; answered with a pong frame as the route response (no table, no @connections)',
  }),
} as const;

/** The Lambda authorizer of the WebSocket API's $connect route. */
export const wsAuthorizer = { id: 'wsAuthorizer', handler: 'ws-authorizer' } as const;

export const wsRouteList: readonly WsRoute[] = Object.values(wsRoutes);
