/**
 * Maps core's domain errors to HTTP statuses (REST responses, WebSocket error frames), and adds the
 * errors only the transport can raise (no token, body too large, wrong content type, rate limit).
 */
import {
  BadRequest,
  Conflict,
  DomainError,
  Forbidden,
  Gone,
  NotFound,
  TooManyRequests,
  Unavailable,
  UnprocessableEntity,
} from '../core/errors';

export * from '../core/errors';

/** An error of the transport itself, with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Unauthorized extends HttpError {
  constructor(message = 'Sign in to continue') {
    super(401, 'unauthorized', message);
  }
}
/** A staff sign-in older than the session maximum (12 hours): the user signs in again. */
export class SessionExpired extends HttpError {
  constructor() {
    super(401, 'session_expired', 'Your session has expired: sign in again');
  }
}
export class PayloadTooLarge extends HttpError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `The request body is larger than ${limitBytes} bytes`);
  }
}
export class UnsupportedMediaType extends HttpError {
  constructor(mediaType = 'application/json') {
    super(415, 'unsupported_media_type', `Send the body as ${mediaType}`);
  }
}

const DOMAIN_STATUSES: [new (...args: never[]) => DomainError, number][] = [
  [BadRequest, 400],
  [Forbidden, 403],
  [NotFound, 404],
  [Gone, 410],
  [Conflict, 409],
  [UnprocessableEntity, 422],
  [TooManyRequests, 429],
  [Unavailable, 503],
];

export interface KnownError {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
  /** For 429: the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
}

/** The status, code, message and fields of an error we raised on purpose; undefined for anything else. */
export function knownError(err: unknown): KnownError | undefined {
  if (err instanceof HttpError) return err;
  if (!(err instanceof DomainError)) return undefined;
  const entry = DOMAIN_STATUSES.find(([kind]) => err instanceof kind);
  if (!entry) return undefined;
  const retryAfterSeconds = err instanceof TooManyRequests ? err.retryAfterSeconds : undefined;
  return { status: entry[1], code: err.code, message: err.message, fields: err.fields, retryAfterSeconds };
}
