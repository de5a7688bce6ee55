/**
 * Domain errors: what went wrong, in the domain's words. `core` throws them without knowing about
 * HTTP or WebSockets; `lib` maps each kind to a status and to an error frame.
 */
export abstract class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is malformed or out of range. */
export class BadRequest extends DomainError {
  constructor(message: string, fields?: Record<string, string>, code = 'bad_request') {
    super(code, message, fields);
  }
}

/** The caller may not do this (or not now, e.g. a closed room). */
export class Forbidden extends DomainError {
  constructor(message = 'You are not allowed to do this', code = 'forbidden') {
    super(code, message);
  }
}

export class NotFound extends DomainError {
  constructor(message = 'Not found', code = 'not_found') {
    super(code, message);
  }
}

/** The thing asked for existed but is gone for good (a used or expired one-time link). */
export class Gone extends DomainError {
  constructor(message: string, code = 'gone') {
    super(code, message);
  }
}

/** The request clashes with the current state (a taken slot, an illegal transition, a stale read). */
export class Conflict extends DomainError {
  constructor(message: string, code = 'conflict') {
    super(code, message);
  }
}

/** Well-formed but refused as it stands (e.g. an idempotency key reused for another request). */
export class UnprocessableEntity extends DomainError {
  constructor(message: string, code = 'unprocessable') {
    super(code, message);
  }
}

/** Too many concurrent changes right now; the caller may retry shortly. */
export class Unavailable extends DomainError {
  constructor(message: string, code = 'unavailable') {
    super(code, message);
  }
}

/** A provider a feature needs (Twilio for video or texts) is not set up: `video_unavailable`, … */
export class ProviderUnavailable extends Unavailable {
  constructor(feature: 'video' | 'sms') {
    super(
      feature === 'video'
        ? 'Video calls are not available right now'
        : 'Text messages are not available right now',
      `${feature}_unavailable`,
    );
  }
}

/** Too many requests from one caller; `retryAfterSeconds` says when the next one is accepted. */
export class TooManyRequests extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code = 'rate_limited',
  ) {
    super(code, message);
  }
}
