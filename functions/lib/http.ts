import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as v from 'valibot';
import type { ApiErrorBody } from '../../shared/api';
import type { PathParams, ResponseOf } from '../../shared/contract';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '../../shared/appointments';
import {
  CORRELATION_ID_HEADER,
  CORS_ALLOWED_HEADERS,
  CORS_EXPOSED_HEADERS,
  MAX_REQUEST_BODY_BYTES,
  MFA_CLAIM,
  mfaEnrolmentRequired,
  SECURITY_HEADERS,
} from '../../shared/policy';
import { FHIR_MEDIA_TYPE } from '../../shared/fhir';
import { fieldErrors } from '../../shared/schemas';
import type { ReadSubject } from '../core/audit';
import type { AuditLog } from '../core/ports';
import { withinSessionMaximum, type SessionCheck } from '../core/sessions';
import type { VisitSession, VisitSessionCheck } from '../core/visit-passes';
import { PASS_AUTH_SCHEME } from '../../shared/visit-pass';
import type { HttpRoute } from '../routes';
import {
  BadRequest,
  Forbidden,
  knownError,
  PayloadTooLarge,
  SessionExpired,
  Unauthorized,
  UnsupportedMediaType,
} from './errors';
import { identityFromClaims, type Identity } from './identity';
import { operationOutcome } from './operation-outcome';
import { logger } from './logger';
import { beginLogContext, correlationId, countSuccess, endLogContext, telemetry } from './telemetry';

export interface HttpRequest<Body, Query = Record<string, string>, Params = Record<string, string>> {
  body: Body;
  identity: Identity;
  /** Typed from the route's path template: `{appointmentId}` gives `pathParameters.appointmentId`. */
  pathParameters: Params;
  query: Query;
  requestId: string;
  /** The caller's `X-Correlation-Id` if well-formed, else a fresh one; echoed in the answer. */
  correlationId: string;
  /** The caller's address as the gateway saw it (API Gateway: the TCP peer, not X-Forwarded-For). */
  sourceIp: string | undefined;
  /** A request header, matched case-insensitively. */
  header(name: string): string | undefined;
  /** A visit-pass route's verified visit session (`Authorization: Pass <token>`). */
  pass: VisitSession | undefined;
}

export interface HttpResult<T = unknown> {
  status?: number;
  /** Must be the route's response type from the contract (checked by the compiler). */
  body: T;
  /** Headers of this answer besides the wrapper's own (e.g. `Content-Disposition` of a download). */
  headers?: Record<string, string>;
}

/** A route that audits its reads must say whose data its answer holds: one entry per subject. */
type ResultOf<R> = R extends { audits: string }
  ? HttpResult<ResponseOf<R>> & { audit: readonly ReadSubject[] }
  : HttpResult<ResponseOf<R>>;
type DepsOf<R> = (R extends { audits: string } ? HttpDeps & { readonly audit: AuditLog } : HttpDeps) &
  (R extends { passHolders: readonly string[] } ? { readonly visitSessions: VisitSessionCheck } : unknown);
type PassOf<R> = R extends { passHolders: readonly string[] } ? VisitSession : undefined;

type BodyOf<R> =
  R extends HttpRoute<infer S> ? (S extends v.GenericSchema ? v.InferOutput<S> : undefined) : never;
type IdentityOf<R> = R extends { roles: 'public' } ? Identity | undefined : Identity;
type ParamsOf<R> = R extends { path: infer P extends string } ? PathParams<P> : Record<string, string>;
type QueryOf<R> =
  R extends HttpRoute<v.GenericSchema | undefined, infer Q>
    ? Q extends v.GenericSchema
      ? v.InferOutput<Q>
      : Record<string, string>
    : Record<string, string>;

/** What every HTTP handler is created with (from its area's composition). */
export interface HttpDeps {
  /** Origins allowed by CORS (ALLOWED_ORIGINS: the CloudFront domain on AWS, the gateway locally). */
  readonly allowedOrigins: readonly string[];
  /** Refuses tokens from sessions ended by "sign out everywhere" (cached briefly per container). */
  readonly sessions: SessionCheck;
}

function corsHeaders(origin: string | undefined, allowedOrigins: readonly string[]): Record<string, string> {
  if (!origin || !allowedOrigins.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(','),
    'Access-Control-Allow-Methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(','),
    Vary: 'Origin',
  };
}

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value ?? undefined;
  }
  return undefined;
}

/** JSON unless the route declares a form body (a provider's webhook); either way one media type. */
function parseBody(text: string, contentType: string, consumes: 'form' | undefined): unknown {
  if (consumes === 'form') {
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType)) {
      throw new UnsupportedMediaType('application/x-www-form-urlencoded');
    }
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new UnsupportedMediaType();
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('The request body is not valid JSON', undefined, 'invalid_json');
  }
}

function readBody(event: APIGatewayProxyEvent, route: HttpRoute<v.GenericSchema | undefined>): unknown {
  const schema = route.body;
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > MAX_REQUEST_BODY_BYTES) throw new PayloadTooLarge(MAX_REQUEST_BODY_BYTES);
  if (!schema) return undefined;
  const parsed = parseBody(bytes.toString('utf8'), header(event, 'content-type') ?? '', route.consumes);
  const result = v.safeParse(schema, parsed);
  if (!result.success) {
    throw new BadRequest('Some fields are invalid', fieldErrors(result.issues), 'validation_failed');
  }
  return result.output;
}

/** The optional `Idempotency-Key` header: absent, or a well-formed key (else 400, nothing changes). */
export function idempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const result = v.safeParse(IdempotencyKey, value);
  if (!result.success) {
    throw new BadRequest(
      'The Idempotency-Key header is invalid',
      { [IDEMPOTENCY_KEY_HEADER]: result.issues[0].message },
      'validation_failed',
    );
  }
  return result.output;
}

/** Every id in a path is one of ours (UUIDs, Cognito subs): anything else cannot exist. */
export const PATH_PARAMETER = /^[A-Za-z0-9_-]{1,64}$/;

function readPathParameters(event: APIGatewayProxyEvent): Record<string, string> {
  const params = (event.pathParameters ?? {}) as Record<string, string>;
  const bad = Object.entries(params).filter(([, value]) => !PATH_PARAMETER.test(value));
  if (bad.length) {
    throw new BadRequest(
      'The address contains an invalid id',
      Object.fromEntries(bad.map(([name]) => [name, 'Not a valid id'])),
      'invalid_path',
    );
  }
  return params;
}

function readQuery(event: APIGatewayProxyEvent, schema: v.GenericSchema | undefined): unknown {
  const raw = event.queryStringParameters ?? {};
  if (!schema) return raw;
  const result = v.safeParse(schema, raw);
  if (!result.success) {
    throw new BadRequest(
      'Some query parameters are invalid',
      fieldErrors(result.issues),
      'validation_failed',
    );
  }
  return result.output;
}

async function authorize(
  route: HttpRoute<v.GenericSchema | undefined>,
  event: APIGatewayProxyEvent,
  sessions: SessionCheck,
) {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const identity = identityFromClaims(claims);
  if (route.roles === 'public') return identity;
  if (!claims) throw new Unauthorized();
  if (!identity || !route.roles.includes(identity.role)) throw new Forbidden();
  // Real time, like the token's expiry that API Gateway checked (core/sessions.ts).
  if (!withinSessionMaximum(identity, Date.now() / 1000)) throw new SessionExpired();
  // API Gateway checked only signature and expiry: the session may have been ended since.
  if (!(await sessions.isCurrent(identity.userId, identity.authenticatedAt))) {
    throw new Unauthorized('Your session has ended: sign in again');
  }
  if (mfaEnrolmentRequired(identity.role, claims[MFA_CLAIM], route.id)) {
    throw new Forbidden('Set up two-step sign-in to continue', 'mfa_enrollment_required');
  }
  return identity;
}

/**
 * A visit-pass route: one GetItem of the session named by `Authorization: Pass <token>`, which must
 * be live and of one of the route's holders. It opens only this route, for the session's visit.
 */
async function visitSession(
  route: HttpRoute<v.GenericSchema | undefined>,
  event: APIGatewayProxyEvent,
  deps: HttpDeps,
): Promise<VisitSession | undefined> {
  if (!route.passHolders) return undefined;
  const [scheme, token] = (header(event, 'authorization') ?? '').split(' ');
  if (scheme !== PASS_AUTH_SCHEME || !token || token.length > 64) {
    throw new Unauthorized('Open the link from your invitation to continue');
  }
  const session = await (deps as HttpDeps & { visitSessions: VisitSessionCheck }).visitSessions.verify(token);
  if (!session) throw new Unauthorized('This visit link has ended');
  if (!route.passHolders.includes(session.holder)) throw new Forbidden();
  return session;
}

function errorResponse(
  err: unknown,
  requestId: string,
): { status: number; code: string; body: ApiErrorBody; headers?: Record<string, string> } {
  const known = knownError(err);
  if (known) {
    const error: ApiErrorBody['error'] = { code: known.code, message: known.message };
    if (known.fields) error.fields = known.fields;
    const headers =
      known.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(known.retryAfterSeconds) };
    return { status: known.status, code: known.code, body: { error }, headers };
  }
  return {
    status: 500,
    code: 'internal_error',
    body: { error: { code: 'internal_error', message: 'Something went wrong on our side', requestId } },
  };
}

/**
 * The one wrapper around every REST handler: role check from verified claims, size and content-type
 * limits, JSON parsing, schema validation, the audit of reads of patient data (routes with
 * `audits`: recorded before the answer leaves, so no unrecorded read is ever answered), security
 * headers, structured logs, and error mapping.
 */
export function http<R extends HttpRoute<v.GenericSchema | undefined>>(
  route: R,
  deps: DepsOf<R>,
  handle: (
    request: HttpRequest<BodyOf<R>, QueryOf<R>, ParamsOf<R>> & { identity: IdentityOf<R>; pass: PassOf<R> },
  ) => Promise<ResultOf<R>>,
) {
  const fhir = route.produces === FHIR_MEDIA_TYPE;
  const started = new WeakMap<object, number>();
  const correlation = new WeakMap<object, string>();
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use({
      before: (request) => {
        started.set(request, Date.now());
        const id = correlationId(header(request.event, CORRELATION_ID_HEADER));
        correlation.set(request.event, id);
        beginLogContext(request.context, {
          correlationId: id,
          requestId: request.event.requestContext?.requestId ?? request.context.awsRequestId,
        });
      },
      after: (request) => {
        finish(request.event, request.context, request.response!, started.get(request));
      },
      onError: (request) => {
        const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
        const { status, code, body, headers } = errorResponse(request.error, requestId);
        telemetry.handledError(route.id, code);
        if (status >= 500) {
          // The error's name and frames only: messages of unexpected errors may quote data.
          const err = request.error;
          logger.error('unhandled error', {
            requestId,
            route: route.id,
            errorName: err?.name,
            stack: err?.stack?.split('\n').slice(1, 8).join('\n'),
          });
        }
        // FHIR clients expect FHIR's error resource; the rest of the API its `{ error }` body.
        const answer = fhir ? operationOutcome(status, code, body.error.message) : body;
        request.response = { statusCode: status, headers: headers ?? {}, body: JSON.stringify(answer) };
        finish(request.event, request.context, request.response, started.get(request));
      },
    })
    .handler(async (event, context) => {
      const identity = await authorize(route, event, deps.sessions);
      const pass = await visitSession(route, event, deps);
      const pathParameters = readPathParameters(event);
      const body = readBody(event, route);
      const query = readQuery(event, route.query);
      const requestId = event.requestContext?.requestId ?? context.awsRequestId;
      const result: HttpResult & { audit?: readonly ReadSubject[] } = await handle({
        body: body as BodyOf<R>,
        identity: identity as IdentityOf<R>,
        pathParameters: pathParameters as ParamsOf<R>,
        query: query as QueryOf<R>,
        requestId,
        correlationId: correlation.get(event)!,
        sourceIp: event.requestContext?.identity?.sourceIp ?? undefined,
        header: (name) => header(event, name),
        pass: pass as PassOf<R>,
      });
      if (route.audits && identity) {
        const { audit } = deps as unknown as HttpDeps & { audit: AuditLog };
        const action = route.audits;
        await Promise.all(
          (result.audit ?? []).map((subject) =>
            audit.record({
              action,
              actorId: identity.userId,
              actorRole: identity.role,
              ...subject,
              requestId,
            }),
          ),
        );
      }
      const status = result.status ?? route.status ?? 200;
      const text = route.produces && !fhir ? String(result.body) : JSON.stringify(result.body);
      return { statusCode: status, headers: result.headers ?? {}, body: status === 204 ? '' : text };
    });

  function finish(
    event: APIGatewayProxyEvent,
    context: Context,
    response: APIGatewayProxyResult,
    startedAt: number | undefined,
  ) {
    const produced: Record<string, string> =
      route.produces && (fhir || response.statusCode < 400)
        ? { 'Content-Type': `${route.produces}; charset=utf-8` }
        : {};
    const id = correlation.get(event) ?? correlationId(header(event, CORRELATION_ID_HEADER));
    response.headers = {
      ...response.headers,
      ...SECURITY_HEADERS,
      ...produced,
      ...corsHeaders(header(event, 'origin'), deps.allowedOrigins),
      [CORRELATION_ID_HEADER]: id,
    };
    if (response.statusCode >= 500) telemetry.serverError(route.id);
    else if (response.statusCode < 300) countSuccess(route.id);
    // Named here too: locally, concurrent requests share the logger's appended keys.
    logger.info('request', {
      requestId: event.requestContext?.requestId ?? context.awsRequestId,
      correlationId: id,
      route: route.id,
      status: response.statusCode,
      durationMs: startedAt === undefined ? undefined : Date.now() - startedAt,
    });
    endLogContext();
  }
}
