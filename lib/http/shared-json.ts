import { createHash } from 'node:crypto';

// A JSON answer many callers share (the overview's, lib/use-cases/services/overview-cache.ts) is serialised once
// per computed answer, not once per request: 1,000 services are 400 KiB of JSON, and fifty pollers asking within
// the same seconds would each pay for it. Its ETag lets a poller that has it already get a 304.

interface Serialised {
  /** UTF-8, encoded once. */
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

const serialised = new WeakMap<object, Serialised>();

/**
 * `build(value)` as a JSON response, serialised once per `value` (the same object for everyone the cache answers)
 * and answered with 304 Not Modified when the request's If-None-Match names it.
 */
export function sharedJsonResponse<T extends object>(request: Request, value: T, build: (value: T) => unknown): Response {
  let entry = serialised.get(value);
  if (!entry) {
    const body = new TextEncoder().encode(JSON.stringify(build(value)));
    entry = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    serialised.set(value, entry);
  }
  // For the readers Umpire let in: revalidated every time, never kept by a shared cache. no-transform: the server
  // would gzip the same bytes again for every request (it drops a route's own Content-Encoding, so a body gzipped
  // once here cannot be sent as such); a poller saves the transfer with If-None-Match instead.
  const headers = { etag: entry.etag, 'cache-control': 'private, no-cache, no-transform' };
  const wanted = request.headers.get('if-none-match');
  if (wanted && wanted.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag)) return new Response(null, { status: 304, headers });
  return new Response(entry.body, { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
}
