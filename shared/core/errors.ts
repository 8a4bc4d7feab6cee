/**
 * Domain errors. Each carries the HTTP status of the TAXII error message (TAXII 2.1 §3.6.1) it becomes, a short
 * title and a description a person can act on. Only runtime turns them into HTTP responses.
 */
export abstract class KyoyuError extends Error {
  abstract readonly httpStatus: number;
  abstract readonly title: string;
  constructor(
    readonly description: string,
    options?: { cause?: unknown },
  ) {
    super(description, options);
    this.name = new.target.name;
  }
}

export class BadRequestError extends KyoyuError {
  readonly httpStatus = 400;
  readonly title = 'Bad request';
}

export class UnauthorizedError extends KyoyuError {
  readonly httpStatus = 401;
  readonly title = 'Authentication required';
}

/** An authentication failure with what is known of who tried, for the audit log (never shown to the caller). */
export class AuthenticationFailedError extends UnauthorizedError {
  constructor(
    description: string,
    readonly attempt: { username?: string; tenantId?: string; memberId?: string },
  ) {
    super(description);
  }
}

export class ForbiddenError extends KyoyuError {
  readonly httpStatus = 403;
  readonly title = 'Forbidden';
}

export class NotFoundError extends KyoyuError {
  readonly httpStatus = 404;
  readonly title = 'Not found';
}

/** A method the resource does not have (RFC 9110 §15.5.6); runtime sends Allow with the methods it has. */
export class MethodNotAllowedError extends KyoyuError {
  readonly httpStatus = 405;
  readonly title = 'Method not allowed';
  constructor(
    description: string,
    readonly allow: readonly string[],
  ) {
    super(description);
  }
}

/** A create that would overwrite something that exists (a username, a member id, a group id). */
export class ConflictError extends KyoyuError {
  readonly httpStatus = 409;
  readonly title = 'Conflict';
}

export class NotAcceptableError extends KyoyuError {
  readonly httpStatus = 406;
  readonly title = 'Not acceptable';
}

export class PayloadTooLargeError extends KyoyuError {
  readonly httpStatus = 413;
  readonly title = 'Payload too large';
}

export class UnsupportedMediaTypeError extends KyoyuError {
  readonly httpStatus = 415;
  readonly title = 'Unsupported media type';
}

/** A tenant over its request limit (shared/core/policy/tenant-throttle.ts); runtime sends Retry-After with it. */
export class TooManyRequestsError extends KyoyuError {
  readonly httpStatus = 429;
  readonly title = 'Too many requests';
  constructor(
    description: string,
    readonly retryAfterSeconds: number,
  ) {
    super(description);
  }
}

/** A configuration problem found at cold start: the deployment is wrong, not the request. */
export class ConfigurationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}
