import { z } from 'zod';
import { ANONYMOUS, type Actor } from '../auth/authorize';
import { isDatabaseUnavailable, prismaErrorCode } from '../db/client';
import { AppError } from '../errors';
import { zodFieldErrors } from '../schemas/field-errors';
import { log } from '../log';

/** For handlers outside route() (the OTLP receiver): whether an error means the database is down (503). */
export { isDatabaseUnavailable };

/** Request bodies above this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  body?: B;
  query?: Q;
}

export interface RouteContext<B, Q> {
  request: Request;
  body: B;
  query: Q;
  params: Record<string, string>;
  actor: Actor;
  requestId: string;
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export function errorResponse(
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string>,
  headers?: HeadersInit,
): Response {
  return Response.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status, headers });
}

function invalidInput(error: z.ZodError, where: 'body' | 'query'): Response {
  const fields = zodFieldErrors(error);
  const summary = Object.entries(fields)
    .map(([field, message]) => (field === '_' ? message : `${field} ${message}`))
    .join('; ');
  return errorResponse(400, 'invalid_input', `Invalid ${where}: ${summary}`, fields);
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
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    return { ok: false, response: errorResponse(413, 'payload_too_large', `Body exceeds ${MAX_BODY_BYTES} bytes`) };
  }
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
    try {
      response = await run(request, context, requestId, spec, handler);
    } catch (error) {
      response = toErrorResponse(error, requestId, request.method, url.pathname);
    }
    response.headers.set('x-request-id', requestId);
    const fields = {
      requestId,
      method: request.method,
      path: url.pathname,
      status: response.status,
      ms: Math.round(performance.now() - started),
    };
    if (response.status >= 500) log.error('http.request', fields);
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
): Promise<Response> {
  const params = await context.params;
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
    const parsed = spec.query.safeParse(raw);
    if (!parsed.success) return invalidInput(parsed.error, 'query');
    query = parsed.data;
  }
  return handler({
    request,
    body: body as Output<B>,
    query: query as Output<Q>,
    params,
    actor: ANONYMOUS,
    requestId,
  });
}

function toErrorResponse(error: unknown, requestId: string, method: string, path: string): Response {
  if (error instanceof AppError) return errorResponse(error.status, error.code, error.message, error.fields);
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
