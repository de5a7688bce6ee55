import middy from '@middy/core';
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import * as v from 'valibot';
import { MAX_FRAME_BYTES, type ServerFrame } from '../../shared/live';
import { fieldErrors } from '../../shared/schemas';
import type { Role } from '../../shared/roles';
import type { WsRoute } from '../ws-routes';
import { HttpError, knownError } from './errors';
import { logger } from './logger';
import { beginLogContext, correlationId, countSuccess, endLogContext, telemetry } from './telemetry';

/**
 * A signed-in user, or a visit-pass holder (`via: 'pass'` in the authorizer context): a patient
 * or a guest whose identity holds for `appointmentId` only.
 */
export interface WsCaller {
  userId: string;
  role: Role | 'guest';
  appointmentId?: string;
}

export interface WsRequest<Frame> {
  connectionId: string;
  caller: WsCaller;
  frame: Frame;
  requestId: string;
}

/** The Lambda authorizer's context, as API Gateway passes it to every route of the connection. */
export type WsEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: APIGatewayProxyWebsocketEventV2['requestContext'] & {
    /** `correlationId`: the one the page sent when it connected (a fresh one if it sent none). */
    authorizer?: {
      userId?: string;
      role?: string;
      correlationId?: string;
      /** A visit pass's holder: the one appointment this identity is for. */
      appointmentId?: string;
      via?: string;
    };
  };
};

export type ReplyFn = (connectionId: string, frame: ServerFrame) => Promise<unknown>;

export interface WsDeps {
  /** Sends a frame through @connections; not needed by a route answered by its route response. */
  reply?: ReplyFn;
  /** Per-connection frame budget (a counter write per lease of frames); absent for uncounted routes. */
  allowFrame?: (connectionId: string) => Promise<boolean>;
}

type FrameOf<R> =
  R extends WsRoute<infer S> ? (S extends v.GenericSchema ? v.InferOutput<S> : undefined) : never;

function callerOf(event: WsEvent): WsCaller | undefined {
  const { userId, role, via, appointmentId } = event.requestContext.authorizer ?? {};
  if (!userId) return undefined;
  if (via === 'pass') {
    // A pass holder is scoped to its appointment; without one it is nobody.
    if (!appointmentId || (role !== 'patient' && role !== 'guest')) return undefined;
    return { userId, role, appointmentId };
  }
  if (role !== 'patient' && role !== 'doctor' && role !== 'admin') return undefined;
  return { userId, role };
}

/**
 * The one wrapper around every WebSocket action: caller from the authorizer context (no table read),
 * frame validated against the route's schema, and any failure answered with an error frame — the
 * connection stays up. A frame the handler returns, and any error frame, goes back to the caller:
 * as the route response on a two-way route (`routeResponse`), otherwise through @connections.
 */
export function ws<R extends WsRoute>(
  route: R,
  deps: WsDeps,
  handle: (request: WsRequest<FrameOf<R>>) => Promise<ServerFrame | void>,
) {
  const send = async (connectionId: string, frame: ServerFrame) => {
    if (!deps.reply) throw new Error(`ws route ${route.id} has no way to reply`);
    await deps.reply(connectionId, frame);
  };
  return middy<WsEvent, APIGatewayProxyResult, Error, Context>().handler(async (event, context) => {
    const started = Date.now();
    const { connectionId } = event.requestContext;
    const requestId = event.requestContext.requestId ?? context.awsRequestId;
    const correlation = correlationId(event.requestContext.authorizer?.correlationId);
    beginLogContext(context, { correlationId: correlation, requestId });
    let clientMessageId: string | undefined;
    let status = 200;
    let answer: ServerFrame | undefined;
    try {
      const size = Buffer.byteLength(event.body ?? '', 'utf8');
      if (size > MAX_FRAME_BYTES) {
        throw new HttpError(413, 'frame_too_large', `Frames are limited to ${MAX_FRAME_BYTES} bytes`);
      }
      // Parsed before the rate check so that a refused frame is named and can be sent again.
      let parsed: unknown;
      let invalidJson = false;
      try {
        parsed = JSON.parse(event.body ?? '');
        const id = (parsed as { clientMessageId?: unknown } | null)?.clientMessageId;
        if (typeof id === 'string' && id.length <= 64) clientMessageId = id;
      } catch {
        invalidJson = true;
      }
      if (deps.allowFrame && !(await deps.allowFrame(connectionId))) {
        throw new HttpError(429, 'rate_limited', 'Too many messages; slow down');
      }
      const caller = callerOf(event);
      if (!caller || !route.roles.includes(caller.role)) throw new HttpError(403, 'forbidden', 'Not allowed');
      let frame: unknown = undefined;
      if (route.frame) {
        if (invalidJson) throw new HttpError(400, 'invalid_json', 'The frame is not valid JSON');
        const result = v.safeParse(route.frame, parsed);
        if (!result.success) {
          throw new HttpError(400, 'validation_failed', 'The frame is invalid', fieldErrors(result.issues));
        }
        frame = result.output;
      }
      // A frame that names a visit must name the pass's own (a ping names none).
      const named = (frame as { appointmentId?: unknown } | undefined)?.appointmentId;
      if (caller.appointmentId && named !== undefined && named !== caller.appointmentId) {
        throw new HttpError(403, 'forbidden', 'This visit link is for another visit');
      }
      answer = (await handle({ connectionId, caller, frame: frame as FrameOf<R>, requestId })) ?? undefined;
      countSuccess(route.id);
    } catch (err) {
      const known = knownError(err);
      status = known ? known.status : 500;
      // The action is answered with an error frame, not a failed invocation: these metrics are
      // what makes its failures visible (the ServerError alarm, the dashboard).
      telemetry.handledError(route.id, known ? known.code : 'internal_error');
      if (status >= 500) telemetry.serverError(route.id);
      if (!known)
        logger.error('unhandled ws error', { requestId, route: route.id, errorName: (err as Error)?.name });
      answer = {
        type: 'error',
        // Lets a chat client tell which of its messages was refused.
        ...(clientMessageId ? { clientMessageId } : {}),
        code: known ? known.code : 'internal_error',
        message: known ? known.message : 'Something went wrong on our side',
        ...(known?.fields ? { fields: known.fields } : {}),
        ...(known ? {} : { requestId }),
      };
    }
    // A route response is the answer itself; elsewhere a failed reply is not worth failing the action.
    const body = answer && route.routeResponse ? JSON.stringify(answer) : '';
    if (answer && !route.routeResponse) await send(connectionId, answer).catch(() => undefined);
    logger.info('ws frame', {
      requestId,
      correlationId: correlation,
      route: route.id,
      status,
      durationMs: Date.now() - started,
    });
    endLogContext();
    return { statusCode: 200, body };
  });
}
