import { AppError } from '../errors';
import { log } from '../log';
import { isDatabaseUnavailable } from './route';
import { withCookies } from './session-cookies';

/** Longest message carried back to the sign-in page in its URL. */
const MAX_MESSAGE = 200;

/** A browser navigation elsewhere: 302, never cached, with cookies to set. A path stays on the host the browser reached. */
export function redirect(location: string, cookies: string[] = []): Response {
  return withCookies(new Response(null, { status: 302, headers: { location } }), cookies);
}

/**
 * Back to the sign-in page with a message a person can act on. The use-cases' refusals carry one; the database
 * being down gets its own; anything else is logged and the message quotes the request id to report.
 */
export function signInFailed(
  error: unknown,
  { requestId, path, cookies = [], next = '/' }: { requestId: string; path: string; cookies?: string[]; next?: string },
): Response {
  let message: string;
  if (error instanceof AppError) message = error.message;
  else if (isDatabaseUnavailable(error)) {
    log.error('http.database_unavailable', { requestId, path, error: error instanceof Error ? error.message : String(error) });
    message = 'The database is unreachable; try again shortly';
  } else {
    log.error('auth.sign_in_unexpected_error', { requestId, path, error });
    message = `Sign-in failed unexpectedly; quote request id ${requestId} when reporting it`;
  }
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE - 1)}…`;
  const query = new URLSearchParams({ error: message, ...(next !== '/' ? { next } : {}) });
  const response = redirect(`/login?${query}`, cookies);
  response.headers.set('x-request-id', requestId);
  return response;
}
