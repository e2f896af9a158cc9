import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ValueType, type Meter } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter as JsonExporter, AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { POST } from '@/app/v1/metrics/route';
import { db } from '@/lib/db/client';
import { systemActor } from '@/lib/auth/authorize';
import { otelTemplate, TokenInput } from '@/lib/schemas';
import { createApiToken, revokeApiToken } from '@/lib/use-cases/access/api-tokens';
import { verifiedTokens } from '@/lib/use-cases/access/verified-tokens';
import { makeService, makeSlo, uniqueSlug } from '../factories';
import { sdkPayload } from './sdk-payloads';

const SYSTEM = systemActor('test');

// The OTLP receiver end to end: the real OpenTelemetry JS SDK exporters (protobuf and JSON, gzip or not) post
// to the route handler through a real HTTP server, and the buckets in PostgreSQL are checked exactly.

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
let server: Server;
let url: string;
let token: string;

beforeAll(async () => {
  token = (await createApiToken({ actor: SYSTEM, input: TokenInput.parse({ name: 'route test' }) })).token;
  // node:http in front of the App Router handler, as `next start` would be.
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const response = await POST(new Request(`http://localhost${req.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function shop() {
  const serviceName = uniqueSlug('shop');
  const service = await makeService();
  const filters = [{ kind: 'match' as const, attribute: 'service.name', scope: 'resource' as const, operator: 'in' as const, values: [serviceName] }];
  const availability = await makeSlo(service.slug, { sli: { source: 'otel', ...otelTemplate('http_availability'), filters }, objective: 0.99 });
  const latency = await makeSlo(service.slug, { sli: { source: 'otel', ...otelTemplate('http_latency', 0.25), filters }, objective: 0.9 });
  return { serviceName, service: service.slug, availability: availability.slug, latency: latency.slug };
}

/** A MeterProvider exporting through `exporter` only when flushed. */
function sdk(serviceName: string, exporter: PushMetricExporter) {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), readers: [reader] });
  const meter: Meter = provider.getMeter('shop-http', '1.0.0');
  const duration = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: BOUNDS } });
  const record = (n: number, status: number, seconds: number, route = '/cart') => {
    for (let i = 0; i < n; i++) duration.record(seconds, { 'http.request.method': 'GET', 'http.route': route, 'http.response.status_code': status });
  };
  return { provider, reader, record };
}

/** Sums of the SLO's buckets, the current minute included (the status reads whole minutes only). */
async function totals(service: string, slo: string) {
  const row = await db().slo.findFirstOrThrow({ where: { slug: slo, service: { slug: service } }, select: { id: true } });
  const sum = await db().sliBucket.aggregate({ where: { sloId: row.id }, _sum: { good: true, total: true } });
  return { good: sum._sum.good ?? 0, total: sum._sum.total ?? 0 };
}

describe.each([
  ['protobuf', 'cumulative', 'none'],
  ['protobuf', 'delta', 'gzip'],
  ['json', 'cumulative', 'gzip'],
  ['json', 'delta', 'none'],
] as const)('the SDK exporter (%s, %s, compression %s)', (format, temporality, compression) => {
  test('every recorded request lands exactly once in the SLOs it belongs to', async () => {
    const s = await shop();
    const options = {
      url,
      headers: { authorization: `Bearer ${token}` },
      temporalityPreference: temporality === 'delta' ? AggregationTemporalityPreference.DELTA : AggregationTemporalityPreference.CUMULATIVE,
      compression: compression as CompressionAlgorithm,
    };
    const exporter = format === 'protobuf' ? new ProtoExporter(options) : new JsonExporter(options);
    const { provider, reader, record } = sdk(s.serviceName, exporter);
    record(90, 200, 0.02);
    record(6, 200, 0.6);
    record(4, 503, 0.01);
    await reader.forceFlush();
    expect(await totals(s.service, s.availability)).toEqual({ good: 96, total: 100 });
    expect(await totals(s.service, s.latency)).toEqual({ good: 94, total: 100 });

    // A second export: cumulative counts now include the first 100, which must not be counted again.
    record(50, 200, 0.3, '/checkout');
    record(10, 500, 0.02, '/checkout');
    await reader.forceFlush();
    // Nothing new: an export of unchanged cumulative counts (or no delta points) adds nothing.
    await reader.forceFlush();
    expect(await totals(s.service, s.availability)).toEqual({ good: 146, total: 160 });
    expect(await totals(s.service, s.latency)).toEqual({ good: 104, total: 160 });
    await provider.shutdown();
  });
});

describe('POST /v1/metrics', () => {
  const post = (body: BodyInit, headers: Record<string, string>) => fetch(url, { method: 'POST', body, headers });
  const auth = () => ({ authorization: `Bearer ${token}` });

  async function payload(serviceName: string, format: 'protobuf' | 'json', n = 5) {
    return sdkPayload({
      format,
      resource: { 'service.name': serviceName },
      record: (meter) => {
        const h = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: BOUNDS } });
        for (let i = 0; i < n; i++) h.record(0.01, { 'http.response.status_code': 200 });
      },
    });
  }

  async function bucketCount(service: string) {
    const rows = await db().sliBucket.count({ where: { slo: { service: { slug: service } } } });
    return rows;
  }

  test('answers the OTLP export response: empty on full success, in the request encoding', async () => {
    const s = await shop();
    const proto = await post(Buffer.from(await payload(s.serviceName, 'protobuf')), { ...auth(), 'content-type': 'application/x-protobuf' });
    expect(proto.status).toBe(200);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    expect(ProtobufMetricsSerializer.deserializeResponse(new Uint8Array(await proto.arrayBuffer()))).toEqual({});
    const json = await post(Buffer.from(await payload(s.serviceName, 'json')), { ...auth(), 'content-type': 'application/json' });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({});
    expect(await totals(s.service, s.availability)).toEqual({ good: 10, total: 10 });
  });

  test('partial success: points an SLO cannot use are refused with the reason, the rest is stored', async () => {
    const s = await shop();
    const body = await sdkPayload({
      format: 'json',
      resource: { 'service.name': s.serviceName },
      record: (meter) => {
        const h = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 0.5] } });
        h.record(0.05, { 'http.response.status_code': 200 });
      },
    });
    const response = await post(Buffer.from(body), { ...auth(), 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    const answer = JsonMetricsSerializer.deserializeResponse(new Uint8Array(await response.arrayBuffer()));
    expect(answer.partialSuccess).toEqual({
      rejectedDataPoints: '1',
      errorMessage: '1 point: http.server.request.duration: bucket boundaries [0.1, 0.5] do not include the SLO threshold 0.25',
    });
    // The availability SLO could use the point; the latency one could not.
    expect(await totals(s.service, s.availability)).toEqual({ good: 1, total: 1 });
    expect(await totals(s.service, s.latency)).toEqual({ good: 0, total: 0 });
  });

  test('without a valid ingest token: 401 with a Status body, nothing stored', async () => {
    const s = await shop();
    const body = Buffer.from(await payload(s.serviceName, 'json'));
    for (const headers of [{}, { authorization: 'Bearer umpire_nope' }, { authorization: `Basic ${token}` }] as Array<Record<string, string>>) {
      const response = await post(body, { ...headers, 'content-type': 'application/json' });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({ code: 16, message: expect.stringMatching(/token/) });
    }
    // The real exporter with a wrong token reports the failure to its SDK.
    const exporter = new ProtoExporter({ url, headers: { authorization: 'Bearer wrong' } });
    const { reader, record } = sdk(s.serviceName, exporter);
    let result: ExportResultCode | undefined;
    const original = exporter.export.bind(exporter);
    exporter.export = (metrics, callback) => original(metrics, (r) => callback(((result = r.code), r)));
    record(3, 200, 0.01);
    await reader.forceFlush().catch(() => undefined);
    expect(result).toBe(ExportResultCode.FAILED);
    expect(await bucketCount(s.service)).toBe(0);
  });

  test('a revoked or expired token is refused', async () => {
    const s = await shop();
    const created = await createApiToken({ actor: SYSTEM, input: TokenInput.parse({ name: 'short-lived' }) });
    const body = Buffer.from(await payload(s.serviceName, 'json'));
    const send = () => post(body, { authorization: `Bearer ${created.token}`, 'content-type': 'application/json' });
    expect((await send()).status).toBe(200);
    await revokeApiToken({ actor: SYSTEM, id: created.id });
    expect((await send()).status).toBe(401);
    const expiring = await createApiToken({ actor: SYSTEM, input: TokenInput.parse({ name: 'expired', expiresInDays: 1 }) });
    await db().apiToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    verifiedTokens.clear();
    const expired = await post(body, { authorization: `Bearer ${expiring.token}`, 'content-type': 'application/json' });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ message: 'the token has expired' });
  });

  test.each([
    ['malformed protobuf', () => Buffer.from([0x0a, 0xff, 0xff, 0x01, 0x02]), 'application/x-protobuf', {}, 400, /malformed protobuf/],
    ['malformed JSON', () => Buffer.from('{"resourceMetrics": [1'), 'application/json', {}, 400, /JSON/i],
    ['JSON of the wrong shape', () => Buffer.from('{"resourceMetrics": {"oops": 1}}'), 'application/json', {}, 400, /resourceMetrics/],
    ['a wrong content type', () => Buffer.from('hello'), 'text/plain', {}, 415, /content type|text\/plain/i],
    ['an unknown content encoding', () => Buffer.from('x'), 'application/json', { 'content-encoding': 'br' }, 415, /br/],
    ['corrupt gzip', () => Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]), 'application/json', { 'content-encoding': 'gzip' }, 400, /gzip/i],
    ['a body over 8 MiB', () => Buffer.alloc(8 * 1024 * 1024 + 1, 0x20), 'application/json', {}, 413, /exceeds/],
    ['a gzip bomb', () => gzipSync(Buffer.alloc(100 * 1024 * 1024, 0x20)), 'application/json', { 'content-encoding': 'gzip' }, 413, /./],
  ] as const)('%s: answered 4xx with the reason, nothing stored', async (_, body, type, extra, status, message) => {
    const before = await db().sliBucket.count();
    const response = await post(body(), { ...auth(), 'content-type': type, ...extra });
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).toMatch(message);
    expect(await db().sliBucket.count()).toBe(before);
  });

  test('over the points or cardinality limits: refused whole, nothing partial stored', async () => {
    const s = await shop();
    const many = (n: number, distinct: boolean) =>
      sdkPayload({
        format: 'protobuf',
        resource: { 'service.name': s.serviceName },
        // The SDK folds attribute sets past 2000 into one overflow series unless told otherwise.
        views: [
          { instrumentName: 'requests', aggregationCardinalityLimit: 200_000 },
          { instrumentName: 'http.server.request.duration', aggregationCardinalityLimit: 200_000 },
        ],
        record: (meter) => {
          const c = meter.createCounter('requests', { valueType: ValueType.INT });
          const h = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: BOUNDS } });
          h.record(0.01, { 'http.response.status_code': 200 }); // a point the SLOs would count
          if (distinct) for (let i = 0; i < n; i++) h.record(0.01, { 'http.response.status_code': 200, id: i });
          else for (let i = 0; i < n; i++) c.add(1, { id: i });
        },
      });
    const points = await post(Buffer.from(await many(100_001, false)), { ...auth(), 'content-type': 'application/x-protobuf' });
    expect(points.status).toBe(413);
    const cardinality = await post(Buffer.from(await many(20_001, true)), { ...auth(), 'content-type': 'application/x-protobuf' });
    expect(cardinality.status).toBe(400);
    expect(await cardinality.text()).toMatch(/cardinality/);
    expect(await totals(s.service, s.availability)).toEqual({ good: 0, total: 0 });
  }, 120_000);
});
