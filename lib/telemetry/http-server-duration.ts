import { SpanKind, type Attributes, type AttributeValue, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { recordHttpServerRequest } from './metrics';

const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE']);

function first(attributes: Attributes, ...keys: string[]): AttributeValue | undefined {
  for (const key of keys) if (attributes[key] !== undefined) return attributes[key];
  return undefined;
}

/** What http.server.request.duration records for a span, or null when the span is not an incoming request. */
export function httpServerRequest(span: ReadableSpan): { seconds: number; method: string; route?: string; status?: number; errorType?: string } | null {
  if (span.kind !== SpanKind.SERVER) return null;
  // Only the outermost server span in this process counts (a local parent means another server span, say
  // an HTTP instrumentation's, already stands for the request); Next propagates http.route to that parent.
  if (span.parentSpanContext && !span.parentSpanContext.isRemote) return null;
  const { attributes } = span;
  // Next.js still sets the older names (http.method, http.status_code, next.route); newer ones win.
  const rawMethod = first(attributes, 'http.request.method', 'http.method');
  if (typeof rawMethod !== 'string') return null;
  const method = KNOWN_METHODS.has(rawMethod.toUpperCase()) ? rawMethod.toUpperCase() : '_OTHER';
  const route = first(attributes, 'http.route', 'next.route');
  const status = first(attributes, 'http.response.status_code', 'http.status_code');
  const errorType = first(attributes, 'error.type');
  const [secondsPart, nanos] = span.duration;
  return {
    seconds: secondsPart + nanos / 1e9,
    method,
    // A route is a template (/services/[service]); a raw URL is never used, whatever the span carries.
    ...(typeof route === 'string' && route !== '' ? { route } : {}),
    ...(typeof status === 'number' && status > 0 ? { status } : {}),
    ...(typeof errorType === 'string' && errorType !== '' ? { errorType } : {}),
  };
}

/**
 * Derives http.server.request.duration from the server spans Next.js emits for every request
 * (BaseServer.handleRequest, SpanKind.SERVER), so no HTTP module needs patching. Exports nothing itself.
 */
export class HttpServerDurationProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    const request = httpServerRequest(span);
    if (request) recordHttpServerRequest(request);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
