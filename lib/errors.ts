/** Errors the use-cases throw on purpose; lib/http/route.ts maps each to its HTTP status. */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly fields?: Record<string, string>;
  constructor(message: string, fields?: Record<string, string>) {
    super(message);
    this.name = new.target.name;
    this.fields = fields;
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
}

/** Well-formed input that cannot be carried out as asked (e.g. a series with too many points). */
export class UnprocessableError extends AppError {
  readonly status = 422;
  readonly code = 'unprocessable';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
}

/** Nobody is signed in, or the credentials sent are not valid: sign in or send a token. */
export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthenticated';
}

/**
 * A quota is full (UMPIRE_MAX_SERVICES and the like): the request is fine, but nothing more of its kind fits until
 * something is deleted or the operator raises the limit. 422 rather than 409 (409 means "it exists already" to
 * idempotent clients) or 429 (waiting does not help).
 */
export class QuotaExceededError extends AppError {
  readonly status = 422;
  readonly code = 'quota_exceeded';
  readonly quota: { name: string; limit: number; setting: string };
  constructor(message: string, quota: { name: string; limit: number; setting: string }) {
    super(message);
    this.quota = quota;
  }
}

/** Too many attempts: try again after `retryAfterSeconds`. */
export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly code = 'rate_limited';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Something Umpire relies on (the identity provider) cannot be reached or is set up wrongly: try again later. */
export class UnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'unavailable';
}

/** An OTLP request over one of the receiver's limits (points, attributes, sizes): 400 or 413, with what and the limit. */
export class IngestLimitError extends Error {
  override readonly name = 'IngestLimitError';
  constructor(
    message: string,
    readonly status: 400 | 413,
  ) {
    super(message);
  }
}

// ---- errors from the database, classified by code (never by message text) ----

/** Prisma's error code (P2002 unique violation, P2025 not found), or undefined; matched by code, never by text. */
export function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' && /^P\d{4}$/.test(code)) return code;
  }
  return undefined;
}

const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017']);
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'DatabaseDoesNotExist', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections']);

/** True when the database could not be reached at all (as opposed to refusing a query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = prismaErrorCode(error);
  if (code && UNREACHABLE_CODES.has(code)) return true;
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } } | null)?.meta;
  const kind = meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === 'string' && UNREACHABLE_KINDS.has(kind)) return true;
  // node-postgres (pgPool): socket errors, and SQLSTATE classes 08 (connection) and 57P (shutting down).
  const pgCode = (error as { code?: unknown } | null)?.code;
  return typeof pgCode === 'string' && (PG_UNREACHABLE.has(pgCode) || /^08|^57P0/.test(pgCode));
}

const PG_UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', '53300']);
