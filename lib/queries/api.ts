import { z } from 'zod';
import { ApiError } from '@/lib/schemas';

/** A failed API call: the API's own code, message and field errors, or a network failure (status 0). */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  /** Every problem the API listed (a refused catalogue file: each document and field). */
  readonly problems: string[];

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}, problems: string[] = []) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.problems = problems;
  }
}

/** The message to show for any error a query or mutation rejects with. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

/** The CSRF token Umpire set at sign-in (a cookie script may read), echoed on every change. */
function csrfToken(): string | null {
  if (typeof document === 'undefined') return null;
  const match = /(?:^|;\s*)umpire_csrf=([^;]*)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : null;
}

/** What a signed-out browser is told: keep the page (and what was typed), sign in elsewhere, try again. */
const SIGNED_OUT = 'You are not signed in (the session may have ended). Sign in again in another tab, then retry here: nothing you typed is lost.';

async function failure(response: Response, url: string): Promise<ApiRequestError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML error page, say): fall back to the status line below.
  }
  const parsed = ApiError.safeParse(body);
  if (parsed.success) {
    const { code, message, fields, errors } = parsed.data.error;
    // Sign-in itself answers 401 for a wrong password: that message is the one to show.
    if (response.status === 401 && code === 'unauthenticated' && !url.startsWith('/api/v1/auth/')) return new ApiRequestError(401, code, SIGNED_OUT, fields);
    return new ApiRequestError(response.status, code, message, fields, errors);
  }
  return new ApiRequestError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}`.trim());
}

/**
 * Calls the JSON API and parses the answer with the shared schema, so a contract drift fails loudly here
 * rather than as NaN in a chart. `schema` null: no body expected (204).
 */
export async function apiRequest<S extends z.ZodType>(
  url: string,
  schema: S,
  init?: { method?: string; body?: unknown; signal?: AbortSignal },
): Promise<z.output<S>>;
export async function apiRequest(url: string, schema: null, init?: { method?: string; body?: unknown; signal?: AbortSignal }): Promise<void>;
export async function apiRequest(
  url: string,
  schema: z.ZodType | null,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<unknown> {
  let response: Response;
  const method = init.method ?? 'GET';
  const headers: Record<string, string> =
    init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' };
  const csrf = method === 'GET' ? null : csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiRequestError(0, 'network', 'Could not reach the Umpire server. Check your connection and try again.');
  }
  if (!response.ok) throw await failure(response, url);
  if (schema === null) return undefined;
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    throw new ApiRequestError(response.status, 'bad_response', `The server sent an unexpected response from ${url}`);
  }
  return parsed.data;
}
