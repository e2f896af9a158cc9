import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Attributes } from '@opentelemetry/api';
import { AlwaysOnSampler, ParentBasedSampler, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, test } from 'vitest';
import { HttpServerDurationProcessor, httpServerRequest } from './http-server-duration';
import { HTTP_DURATION_BUCKETS } from './metrics';
import { RecordServerSpansSampler } from './sampler';
import { points, startTestTelemetry, type Histogram, type TestTelemetry } from './testing';

/** What Next.js's BaseServer.handleRequest span carries when it ends (node_modules/next/dist/server/base-server.js). */
const NEXT_ATTRIBUTES: Attributes = {
  'next.span_name': 'GET /services/[service]',
  'next.span_type': 'BaseServer.handleRequest',
  'http.method': 'GET',
  'http.target': '/services/checkout?tab=slos&token=secret',
  'http.status_code': 200,
  'next.rsc': false,
  'next.route': '/services/[service]',
  'http.route': '/services/[service]',
};

function span(fields: Partial<ReadableSpan>): ReadableSpan {
  return { kind: SpanKind.SERVER, attributes: NEXT_ATTRIBUTES, duration: [0, 120_000_000], ...fields } as ReadableSpan;
}

describe('httpServerRequest', () => {
  test.each<[string, Partial<ReadableSpan>, ReturnType<typeof httpServerRequest>]>([
    ['a Next.js request span', {}, { seconds: 0.12, method: 'GET', route: '/services/[service]', status: 200 }],
    ['an internal span', { kind: SpanKind.INTERNAL }, null],
    ['a client span', { kind: SpanKind.CLIENT }, null],
    ['a server span without a method', { attributes: { 'http.route': '/' } }, null],
    [
      'no route: no http.route, never the URL',
      { attributes: { 'http.method': 'GET', 'http.target': '/_next/static/x.js', 'http.status_code': 200 } },
      { seconds: 0.12, method: 'GET', status: 200 },
    ],
    [
      'new attribute names win',
      { attributes: { 'http.request.method': 'post', 'http.method': 'GET', 'http.response.status_code': 201, 'http.route': '/api/v1/services' } },
      { seconds: 0.12, method: 'POST', route: '/api/v1/services', status: 201 },
    ],
    ['an unknown method is _OTHER', { attributes: { 'http.method': 'PROPFIND', 'next.route': '/' } }, { seconds: 0.12, method: '_OTHER', route: '/' }],
    [
      'a 5xx keeps its error.type',
      { attributes: { ...NEXT_ATTRIBUTES, 'http.status_code': 500, 'error.type': '500' } },
      { seconds: 0.12, method: 'GET', route: '/services/[service]', status: 500, errorType: '500' },
    ],
    [
      'a server span under a local server span',
      { parentSpanContext: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, isRemote: false } },
      null,
    ],
    [
      'a server span under a remote caller',
      { parentSpanContext: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, isRemote: true } },
      { seconds: 0.12, method: 'GET', route: '/services/[service]', status: 200 },
    ],
  ])('%s', (_name, fields, want) => {
    expect(httpServerRequest(span(fields))).toEqual(want);
  });
});

describe('HttpServerDurationProcessor', () => {
  let telemetry: TestTelemetry;
  afterEach(() => telemetry.stop());

  test('turns a Next.js server span into an http.server.request.duration point with low-cardinality attributes', async () => {
    telemetry = startTestTelemetry({ spanProcessors: [new HttpServerDurationProcessor()] });
    const tracer = telemetry.tracerProvider.getTracer('next.js');
    const request = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: { 'http.method': 'GET', 'http.target': '/services/checkout?token=secret' } });
    // Next sets the status and route when the handler finishes, just before the span ends.
    request.setAttributes({ 'http.status_code': 200, 'next.route': '/services/[service]', 'http.route': '/services/[service]' });
    request.end();
    tracer.startSpan('render route (app) /services/[service]', { kind: SpanKind.INTERNAL, attributes: { 'http.method': 'GET' } }).end();
    tracer.startSpan('GET /api/v1/query', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } }).end();

    const metric = await telemetry.metric('http.server.request.duration');
    expect(metric?.descriptor.unit).toBe('s');
    const [point, ...others] = points<Histogram>(metric);
    expect(others).toEqual([]);
    expect(point?.[0]).toEqual({ 'http.request.method': 'GET', 'http.route': '/services/[service]', 'http.response.status_code': 200 });
    expect(point?.[1].count).toBe(1);
    expect(point?.[1].buckets.boundaries).toEqual(HTTP_DURATION_BUCKETS);
  });

  test.each([
    ['the default sampler', undefined, 0],
    ['RecordServerSpansSampler', new RecordServerSpansSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() })), 1],
  ])('a request whose caller did not sample the trace, with %s, counts %d times', async (_name, sampler, want) => {
    telemetry = startTestTelemetry({ spanProcessors: [new HttpServerDurationProcessor()], sampler });
    const tracer = telemetry.tracerProvider.getTracer('next.js');
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: TraceFlags.NONE, isRemote: true });
    tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: NEXT_ATTRIBUTES }, unsampled).end();
    const [point] = points<Histogram>(await telemetry.metric('http.server.request.duration'));
    expect(point?.[1].count ?? 0).toBe(want);
  });
});
