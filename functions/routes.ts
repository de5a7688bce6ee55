/**
 * THE routes table. The CDK app creates one Lambda and one API resource per entry, the local gateway
 * mounts the same entries, and the authorization-matrix tests read it. A route exists only here.
 *
 * `handler` is the file under functions/handlers/ whose `handler` export serves the route.
 */
import type * as v from 'valibot';
import type { Role } from '../shared/roles';
import { CreateDoctorRequest, PingFrame, RegisterPatientRequest } from '../shared/schemas';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRoute<S extends v.GenericSchema | undefined = v.GenericSchema | undefined> {
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  readonly path: string;
  readonly handler: string;
  /** `public` routes have no Cognito authorizer. */
  readonly roles: readonly Role[] | 'public';
  readonly body?: S;
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

function httpRoute<S extends v.GenericSchema | undefined = undefined>(route: HttpRoute<S>): HttpRoute<S> {
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
    summary: 'An admin creates a doctor account; the doctor sets a password on first login',
  }),
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
  ping: wsRoute({
    id: 'wsPing',
    route: 'ping',
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
