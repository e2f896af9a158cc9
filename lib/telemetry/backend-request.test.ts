import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { outboundFetch } from '../sources/http/outbound';
import { promqlOf, redactedUrl, requestOutcome, type BackendResult } from './backend-request';
import { points, startTestTelemetry, type Histogram, type TestTelemetry } from './testing';

describe('what a backend span may show', () => {
  test.each([
    ['http://prom:9090/api/v1/query', 'http://prom:9090/api/v1/query'],
    [
      'https://mimir.example.com/prometheus/api/v1/query_range?api_key=s3cret&query=up',
      'https://mimir.example.com/prometheus/api/v1/query_range?api_key=REDACTED&query=REDACTED',
    ],
  ])('redactedUrl(%s)', (raw, want) => expect(redactedUrl(new URL(raw))).toBe(want));

  test.each<[string, string | undefined, string | null, string | undefined]>([
    ['http://p/api/v1/query', 'query=sum(rate(x%5B5m%5D))&time=1', 'application/x-www-form-urlencoded', 'sum(rate(x[5m]))'],
    ['http://p/api/v1/query?query=up', undefined, null, 'up'],
    ['http://p/api/v1/status/buildinfo', undefined, null, undefined],
    ['http://p/api/v1/query', '{"query":"up"}', 'application/json', undefined],
  ])('promqlOf(%s, %s)', (url, body, type, want) => expect(promqlOf(new URL(url), body, type)).toBe(want));

  const timeout = Object.assign(new Error('The operation was aborted'), {
    name: 'AbortError',
    cause: Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
  });
  test.each<[string, BackendResult, string, string | undefined]>([
    ['200', { status: 200 }, 'ok', undefined],
    ['404', { status: 404 }, '4xx', '404'],
    ['503', { status: 503 }, '5xx', '503'],
    ['a body cut off', { status: 200, aborted: true }, 'aborted', 'aborted'],
    ['ECONNREFUSED', { error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }, 'unreachable', 'ECONNREFUSED'],
    ['a timeout', { error: timeout }, 'timeout', 'timeout'],
    ['a blocked address', { error: Object.assign(new Error('x'), { name: 'OutboundBlockedError' }) }, 'blocked', 'OutboundBlockedError'],
  ])('requestOutcome: %s', (_name, result, outcome, errorType) => expect(requestOutcome(result)).toEqual({ outcome, ...(errorType ? { errorType } : {}) }));
});

describe('outboundFetch', () => {
  let server: http.Server;
  let port = 0;
  let telemetry: TestTelemetry;
  let spans: InMemorySpanExporter;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(req.url?.startsWith('/fail') ? 503 : 200, { 'content-type': 'application/json' });
        res.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    spans = new InMemorySpanExporter();
    telemetry = startTestTelemetry({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  });
  afterEach(() => telemetry.stop());

  test('a request is a CLIENT span without credentials and a request-duration point, ended once the body is read', async () => {
    const fetchImpl = outboundFetch({ allowedHosts: null }, { datasource: 'prom' });
    const response = await fetchImpl(`http://127.0.0.1:${port}/api/v1/query?tenant=acme`, {
      method: 'POST',
      headers: { authorization: 'Bearer s3cret', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=up%7Bjob%3D%22api%22%7D&time=1',
    });
    expect(spans.getFinishedSpans()).toEqual([]); // the body has not been read yet
    await response.json();
    await new Promise((resolve) => setImmediate(resolve));

    const [span, ...others] = spans.getFinishedSpans();
    expect(others).toEqual([]);
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.name).toBe('POST /api/v1/query');
    expect(span?.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': port,
      'url.full': `http://127.0.0.1:${port}/api/v1/query?tenant=REDACTED`,
      'umpire.datasource': 'prom',
      'db.query.text': 'up{job="api"}',
      'http.response.status_code': 200,
    });
    expect(JSON.stringify(span?.attributes)).not.toContain('s3cret');
    const [[attributes, histogram] = [{}, undefined]] = points<Histogram>(await telemetry.metric('umpire.backend.request.duration'));
    expect(attributes).toEqual({ datasource: 'prom', outcome: 'ok' });
    expect(histogram?.count).toBe(1);
  });

  test('a URL whose path is a credential (a Slack webhook) shows only its host in the span', async () => {
    const response = await outboundFetch({ allowedHosts: null }, { datasource: 'channel:slack', secretPath: true })(
      `http://127.0.0.1:${port}/services/T000/B000/XXXXsecretXXXX?x=1`,
      { method: 'POST', body: '{}' },
    );
    await response.text();
    await new Promise((resolve) => setImmediate(resolve));
    const [span] = spans.getFinishedSpans();
    expect(span?.name).toBe('POST /REDACTED');
    expect(span?.attributes['url.full']).toBe(`http://127.0.0.1:${port}/REDACTED`);
    expect(JSON.stringify({ name: span?.name, attributes: span?.attributes, events: span?.events })).not.toContain('XXXXsecretXXXX');
  });

  test('an error status marks the span and the outcome; the data source defaults to host:port', async () => {
    const response = await outboundFetch({ allowedHosts: null })(`http://127.0.0.1:${port}/fail`);
    await response.text();
    await new Promise((resolve) => setImmediate(resolve));
    const [span] = spans.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('503');
    const [[attributes] = [{}]] = points<Histogram>(await telemetry.metric('umpire.backend.request.duration'));
    expect(attributes).toEqual({ datasource: `127.0.0.1:${port}`, outcome: '5xx' });
  });

  test('a backend that refuses the connection is an unreachable outcome', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(outboundFetch({ allowedHosts: null }, { datasource: 'down' })(`http://127.0.0.1:${closedPort}/api/v1/query`)).rejects.toThrow(/ECONNREFUSED/);
    const [span] = spans.getFinishedSpans();
    expect(span?.attributes['error.type']).toBe('ECONNREFUSED');
    const [[attributes] = [{}]] = points<Histogram>(await telemetry.metric('umpire.backend.request.duration'));
    expect(attributes).toEqual({ datasource: 'down', outcome: 'unreachable' });
  });
});
