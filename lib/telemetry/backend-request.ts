import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import { recordBackendRequest } from './metrics';
import { tracer } from './tracer';

/** PromQL can be long; a span attribute does not need all of it. */
const MAX_QUERY_TEXT = 4096;

/**
 * The URL as a span may show it: scheme, host, path and the query's parameter names, every value REDACTED
 * (as the semantic conventions suggest for url.full): a data source's URL may carry a key in its query.
 * User info never gets here (outboundUrlProblem refuses it), and headers are never recorded.
 */
export function redactedUrl(url: URL): string {
  const names = [...new URLSearchParams(url.search).keys()];
  const query = names.length > 0 ? `?${names.map((n) => `${encodeURIComponent(n)}=REDACTED`).join('&')}` : '';
  return `${url.protocol}//${url.host}${url.pathname}${query}`;
}

/** The PromQL of a Prometheus API request: the `query` parameter of a form POST body, or of the URL. */
export function promqlOf(url: URL, body: string | undefined, contentType: string | null): string | undefined {
  const form = body !== undefined && (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body) : null;
  const query = form?.get('query') ?? new URLSearchParams(url.search).get('query') ?? undefined;
  return query === undefined ? undefined : query.slice(0, MAX_QUERY_TEXT);
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

/** A low-cardinality outcome for the request-duration metric, and error.type for the span. */
export function requestOutcome(result: BackendResult): { outcome: string; errorType?: string } {
  if ('status' in result) {
    if (result.aborted) return { outcome: 'aborted', errorType: 'aborted' };
    if (result.status >= 500) return { outcome: '5xx', errorType: String(result.status) };
    if (result.status >= 400) return { outcome: '4xx', errorType: String(result.status) };
    return { outcome: 'ok' };
  }
  const error = result.error as { name?: unknown; code?: unknown; cause?: { name?: unknown } } | null;
  const name = typeof error?.name === 'string' ? error.name : 'Error';
  const code = typeof error?.code === 'string' ? error.code : undefined;
  if (name === 'TimeoutError' || error?.cause?.name === 'TimeoutError') return { outcome: 'timeout', errorType: 'timeout' };
  if (name === 'AbortError') return { outcome: 'aborted', errorType: 'aborted' };
  if (name === 'OutboundBlockedError') return { outcome: 'blocked', errorType: name };
  if (code && UNREACHABLE_CODES.has(code)) return { outcome: 'unreachable', errorType: code };
  return { outcome: 'error', errorType: code ?? name };
}

/** How a backend request ended: an answer (aborted when its body was cut off), or an error before one. */
export type BackendResult = { status: number; aborted?: boolean } | { error: unknown };

export interface BackendRequest {
  url: URL;
  method: string;
  body?: string;
  contentType: string | null;
  /** The data source's slug when the caller knows it, else its host:port. */
  datasource: string;
  /** The URL's path is a credential (a Slack incoming webhook): spans show "/REDACTED" instead. */
  secretPath?: boolean;
}

/**
 * Opens a CLIENT span for one request to a metrics backend and returns the function that closes it: the span
 * gets the status or error, and umpire.backend.request.duration gets the time until the body was read.
 */
function withRedactedPath(url: URL): URL {
  const copy = new URL(url);
  copy.pathname = '/REDACTED';
  copy.search = '';
  return copy;
}

export function startBackendRequest(request: BackendRequest): (result: BackendResult) => void {
  const url = request.secretPath ? withRedactedPath(request.url) : request.url;
  const { method } = request;
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_SERVER_ADDRESS]: url.hostname,
    [ATTR_SERVER_PORT]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    [ATTR_URL_FULL]: redactedUrl(url),
    'umpire.datasource': request.datasource,
  };
  const query = promqlOf(url, request.body, request.contentType);
  if (query !== undefined) attributes['db.query.text'] = query;
  const span = tracer().startSpan(`${method} ${url.pathname}`, { kind: SpanKind.CLIENT, attributes });
  const started = performance.now();
  let ended = false;
  return (result) => {
    if (ended) return;
    ended = true;
    const { outcome, errorType } = requestOutcome(result);
    if ('status' in result) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, result.status);
    if (errorType) {
      span.setAttribute(ATTR_ERROR_TYPE, errorType);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'error' in result && result.error instanceof Error ? result.error.message : undefined });
    }
    span.end();
    recordBackendRequest({ datasource: request.datasource, seconds: (performance.now() - started) / 1000, outcome });
  };
}
