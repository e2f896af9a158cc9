import { z } from 'zod';
import { authorize, type Actor } from '../auth/authorize';
import { isAuthenticated } from '../auth/permissions';
import { AppError, isDatabaseUnavailable, prismaErrorCode, QuotaExceededError, RateLimitedError, UnauthenticatedError } from '../errors';
import { zodFieldErrors } from '../schemas/field-errors';
import { log } from '../log';
import { authenticate, csrfProblem, SAFE_METHODS } from './authenticate';
import { isClientAbort, readBodyText } from './client-abort';

/** For handlers outside route() (the OTLP receiver): whether an error means the database is down (503). */
export { isDatabaseUnavailable };

const SIGN_IN_TO_CHANGE = 'Sign in to make changes, or send an API token (Authorization: Bearer …)';

/** Request bodies above this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  body?: B;
  query?: Q;
  /**
   * Who may call it. 'signed-in' (the default): reads need the read permission, changes an identity (the use-case
   * then decides whether that identity may). 'public': anyone (sign-in itself); the handler decides.
   */
  access?: 'signed-in' | 'public';
}

export interface RouteContext<B, Q> {
  request: Request;
  body: B;
  query: Q;
  params: Record<string, string>;
  actor: Actor;
  requestId: string;
  /** The session cookie sent with the request (valid or not): sign-in replaces it, sign-out ends it. */
  sessionToken: string | null;
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export function errorResponse(status: number, code: string, message: string, fields?: Record<string, string>, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status, headers });
}

function invalidInput(error: z.ZodError, where: 'body' | 'query'): Response {
  const fields = zodFieldErrors(error);
  const summary = Object.entries(fields)
    .map(([field, message]) => (field === '_' ? message : `${field} ${message}`))
    .join('; ');
  return errorResponse(400, 'invalid_input', `Invalid ${where}: ${summary}`, fields);
}

/** PostgreSQL cannot store or compare text holding NUL (U+0000), so no name has one and no field may hold one. */
function hasNul(value: string): boolean {
  return value.includes('\u0000');
}

function nulRefused(where: 'body' | 'query'): Response {
  return errorResponse(400, 'invalid_input', `Invalid ${where}: text must not contain NUL characters (\\u0000)`, { _: 'must not contain NUL characters' });
}

async function readJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(type)) {
    return { ok: false, response: errorResponse(415, 'unsupported_media_type', 'Send the body as application/json') };
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) {
    return { ok: false, response: errorResponse(413, 'payload_too_large', `Body exceeds ${MAX_BODY_BYTES} bytes`) };
  }
  const text = await readBodyText(request);
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    return { ok: false, response: errorResponse(413, 'payload_too_large', `Body exceeds ${MAX_BODY_BYTES} bytes`) };
  }
  // A NUL can only be written \u0000 in JSON (after an even number of backslashes, or the escape is itself escaped).
  if (/(?<!\\)(?:\\\\)*\\u0000/i.test(text)) return { ok: false, response: nulRefused('body') };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'unreadable';
    return { ok: false, response: errorResponse(400, 'invalid_json', `Body is not valid JSON: ${reason}`) };
  }
}

/**
 * Wraps a route handler: parses and validates the body and query with the shared zod schemas, and maps
 * errors to statuses (AppError by class, Prisma by error code). Bad input never becomes a 500, and no
 * response carries a stack trace.
 */
export function route<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<B, Q>,
  handler: (ctx: RouteContext<Output<B>, Output<Q>>) => Promise<Response>,
): Handler {
  return async (request, context) => {
    const requestId = crypto.randomUUID();
    const started = performance.now();
    const url = new URL(request.url);
    let response: Response;
    let actor: Actor | undefined;
    try {
      const result = await run(request, context, requestId, spec, handler, (a) => (actor = a));
      response = result;
    } catch (error) {
      response = toErrorResponse(error, requestId, request, url.pathname);
    }
    response.headers.set('x-request-id', requestId);
    const fields = {
      requestId,
      method: request.method,
      path: url.pathname,
      status: response.status,
      ms: Math.round(performance.now() - started),
      ...(actor && actor.kind !== 'anonymous'
        ? { actor: actor.kind === 'user' ? actor.username : actor.kind === 'token' ? `token:${actor.id}` : actor.kind }
        : {}),
    };
    if (response.status >= 500) log.error('http.request', fields);
    else if (response.status === 401 || response.status === 403 || response.status === 429) log.info('http.request', fields);
    else log.debug('http.request', fields);
    return response;
  };
}

async function run<B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(
  request: Request,
  context: { params: Promise<Record<string, string>> },
  requestId: string,
  spec: RouteSpec<B, Q>,
  handler: (ctx: RouteContext<Output<B>, Output<Q>>) => Promise<Response>,
  identified: (actor: Actor) => void,
): Promise<Response> {
  // Next passes no params (undefined) to routes without dynamic segments.
  const params = (await context.params) ?? {};
  // Who is asking comes first: a caller who may not call this learns nothing from how it answers their input.
  const auth = await authenticate(request, requestId);
  if (!auth.ok) return errorResponse(auth.status, auth.code, auth.message, undefined, auth.headers);
  const actor = auth.actor;
  identified(actor);
  const safe = SAFE_METHODS.has(request.method);
  if (spec.access !== 'public') {
    if (safe) await authorize(actor, 'read');
    else if (!isAuthenticated(actor)) throw new UnauthenticatedError(SIGN_IN_TO_CHANGE);
  }
  if (!safe && (auth.via === 'session' || spec.access === 'public')) {
    const problem = csrfProblem(request, auth.via === 'session' ? auth.sessionToken : null);
    if (problem) {
      log.warn('auth.csrf_refused', { requestId, method: request.method, path: new URL(request.url).pathname, reason: problem });
      return errorResponse(403, 'csrf_failed', `Refused: ${problem}. Reload the page and try again.`);
    }
  }
  if (Object.values(params).some(hasNul)) return errorResponse(404, 'not_found', 'Nothing is named with a NUL character');
  let body: unknown = undefined;
  if (spec.body) {
    const json = await readJson(request);
    if (!json.ok) return json.response;
    const parsed = spec.body.safeParse(json.value);
    if (!parsed.success) return invalidInput(parsed.error, 'body');
    body = parsed.data;
  }
  let query: unknown = undefined;
  if (spec.query) {
    const raw = Object.fromEntries(new URL(request.url).searchParams);
    if (Object.entries(raw).some(([key, value]) => hasNul(key) || hasNul(value))) return nulRefused('query');
    const parsed = spec.query.safeParse(raw);
    if (!parsed.success) return invalidInput(parsed.error, 'query');
    query = parsed.data;
  }
  return handler({
    request,
    body: body as Output<B>,
    query: query as Output<Q>,
    params,
    actor,
    requestId,
    sessionToken: auth.sessionToken,
  });
}

function toErrorResponse(error: unknown, requestId: string, request: Request, path: string): Response {
  const method = request.method;
  // Checked first: a hang-up's ECONNRESET would otherwise pass for the database's.
  if (isClientAbort(error, request.signal)) {
    log.info('request.aborted', { requestId, method, path });
    return errorResponse(400, 'request_aborted', 'The request body ended before it was complete');
  }
  if (error instanceof RateLimitedError) return errorResponse(429, error.code, error.message, undefined, { 'retry-after': String(error.retryAfterSeconds) });
  if (error instanceof QuotaExceededError)
    return Response.json({ error: { code: error.code, message: error.message, quota: error.quota } }, { status: error.status });
  if (error instanceof AppError) {
    const headers: Record<string, string> | undefined = error.status === 401 ? { 'www-authenticate': 'Bearer realm="umpire"' } : undefined;
    return errorResponse(error.status, error.code, error.message, error.fields, headers);
  }
  if (error instanceof z.ZodError) return invalidInput(error, 'body');
  if (isDatabaseUnavailable(error)) {
    log.error('http.database_unavailable', { requestId, method, path, error: error instanceof Error ? error.message : String(error) });
    return errorResponse(503, 'database_unavailable', 'The database is unreachable; try again shortly', undefined, { 'retry-after': '5' });
  }
  switch (prismaErrorCode(error)) {
    case 'P2002':
      return errorResponse(409, 'conflict', 'A resource with that identifier already exists');
    case 'P2025':
      return errorResponse(404, 'not_found', 'The resource no longer exists');
  }
  log.error('http.unhandled_error', { requestId, method, path, error });
  return errorResponse(500, 'internal', `Internal error; quote request id ${requestId} when reporting it`);
}
