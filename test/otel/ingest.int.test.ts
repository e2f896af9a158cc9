import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { IngestBinding } from '@/lib/auth/ingest-binding';
import { db } from '@/lib/db/client';
import type { HistogramPoint, Metric, MetricsRequest } from '@/lib/otlp/model';
import { otelTemplate } from '@/lib/schemas';
import { ingestOtlp } from '@/lib/use-cases/ingest/ingest-otlp';
import { seriesCache as cache } from '@/lib/use-cases/ingest/series-cache';
import { forgetCatalogWrites } from './forget-catalog-writes';
import { getSloStatus } from '@/lib/use-cases/slos/get-slo-status';
import { listOtelMetrics } from '@/lib/use-cases/ingest/list-otel-metrics';
import { markQuietPushedSlos } from '@/lib/use-cases/ingest/maintain-otel';
import { makeIngestToken } from '../auth';
import { makeService, makeSlo, uniqueSlug } from '../factories';

// The ingest use-case against a real PostgreSQL, with decoded requests built by hand (the wire formats and the
// real SDK exporters are covered in otlp-route.int.test.ts).

const MIN = 60_000_000_000n;
const BOUNDS = [0.1, 0.25, 0.5];

function at(minutesAgo: number, now: Date): bigint {
  return (BigInt(Math.floor(now.getTime() / 60_000)) - BigInt(minutesAgo)) * MIN + 15_000_000_000n;
}

const hist = (attrs: Record<string, string>, start: bigint, time: bigint, count: number, buckets: number[]): HistogramPoint => ({
  attributes: attrs,
  startTimeUnixNano: start,
  timeUnixNano: time,
  flags: 0,
  count,
  sum: null,
  bucketCounts: buckets,
  explicitBounds: BOUNDS,
});

function request(service: string, points: HistogramPoint[], temporality: 'cumulative' | 'delta' = 'cumulative'): MetricsRequest {
  const metric: Metric = {
    name: 'http.server.request.duration',
    unit: 's',
    description: 'Duration of HTTP server requests.',
    data: { type: 'histogram', temporality, points },
  };
  return { resourceMetrics: [{ resource: { 'service.name': service }, scopeMetrics: [{ scope: { name: 'test', version: '1' }, metrics: [metric] }] }] };
}

async function setup() {
  const serviceName = uniqueSlug('shop');
  const service = await makeService();
  const filters = [{ kind: 'match' as const, attribute: 'service.name', scope: 'resource' as const, operator: 'in' as const, values: [serviceName] }];
  const availability = await makeSlo(service.slug, { sli: { source: 'otel', ...otelTemplate('http_availability'), filters }, objective: 0.99 });
  const latency = await makeSlo(service.slug, { sli: { source: 'otel', ...otelTemplate('http_latency', 0.25), filters }, objective: 0.9 });
  const ids = await db().slo.findMany({
    where: { serviceId: (await db().service.findUniqueOrThrow({ where: { slug: service.slug } })).id },
    select: { id: true, slug: true },
  });
  const idOf = (slug: string) => ids.find((r) => r.slug === slug)!.id;
  return {
    serviceName,
    service: service.slug,
    availability: availability.slug,
    latency: latency.slug,
    availabilityId: idOf(availability.slug),
    latencyId: idOf(latency.slug),
  };
}

async function buckets(sloId: string) {
  const rows = await db().sliBucket.findMany({ where: { sloId }, orderBy: { start: 'asc' } });
  return rows.map((b) => ({ start: b.start.toISOString(), good: b.good, total: b.total }));
}

const ok = { 'http.route': '/cart', 'http.response.status_code': '200' };
const err = { 'http.route': '/cart', 'http.response.status_code': '503' };

/** An ingest token of every team, as the receiver checks it: these tests are about counting, not bindings. */
let token: IngestBinding;
beforeAll(async () => {
  token = (await makeIngestToken()).binding;
});
beforeEach(() => forgetCatalogWrites());

describe('ingestOtlp', () => {
  test('cumulative histograms land as per-minute good/total increases; status reads them', async () => {
    const s = await setup();
    const now = new Date();
    const start = at(4, now) - 10_000_000_000n;
    const first = await ingestOtlp(
      request(s.serviceName, [hist(ok, start, at(3, now), 100, [60, 30, 8, 2]), hist(err, start, at(3, now), 5, [0, 1, 2, 2])]),
      token,
      now,
    );
    expect(first).toMatchObject({ accepted: 2, rejected: 0, dropped: 0, duplicates: 0 });
    await ingestOtlp(request(s.serviceName, [hist(ok, start, at(2, now), 160, [90, 50, 15, 5]), hist(err, start, at(2, now), 5, [0, 1, 2, 2])]), token, now);

    const minute = (n: number) => new Date(Number(at(n, now) / 1_000_000n) - 15_000).toISOString();
    expect(await buckets(s.availabilityId)).toEqual([
      { start: minute(3), good: 100, total: 105 },
      { start: minute(2), good: 60, total: 60 },
    ]);
    expect(await buckets(s.latencyId)).toEqual([
      { start: minute(3), good: 90 + 1, total: 105 },
      { start: minute(2), good: 50, total: 60 },
    ]);
    const status = await getSloStatus({ service: s.service, slo: s.availability });
    expect(status).toMatchObject({ source: 'otel', good: 160, total: 165 });
    expect(status.sli).toBeCloseTo(160 / 165, 12);
    expect(status.evaluation.lastSuccessAt).not.toBeNull();
  });

  test('a redelivered request and a restarted series are each counted once', async () => {
    const s = await setup();
    const now = new Date();
    const start = at(5, now);
    const body = request(s.serviceName, [hist(ok, start, at(4, now), 10, [10, 0, 0, 0])]);
    await ingestOtlp(body, token, now);
    const again = await ingestOtlp(body, token, now);
    expect(again).toMatchObject({ accepted: 1, duplicates: 1 });
    // The service restarts: new start time, counts from zero again. 7 new requests, not -3.
    const restart = at(3, now);
    await ingestOtlp(request(s.serviceName, [hist(ok, restart, at(2, now), 7, [7, 0, 0, 0])]), token, now);
    const rows = await buckets(s.availabilityId);
    expect(rows.map((r) => r.total)).toEqual([10, 7]);
  });

  test('delta temporality: duplicates and out-of-order deliveries are counted once', async () => {
    const s = await setup();
    const now = new Date();
    const p = (n: number, count: number) => hist(ok, at(n + 1, now), at(n, now), count, [count, 0, 0, 0]);
    await ingestOtlp(request(s.serviceName, [p(2, 5)], 'delta'), token, now);
    await ingestOtlp(request(s.serviceName, [p(1, 7), p(2, 5)], 'delta'), token, now); // p(2) again
    await ingestOtlp(request(s.serviceName, [p(3, 4)], 'delta'), token, now); // late, not seen: taken once
    await ingestOtlp(request(s.serviceName, [p(3, 4), p(1, 7)], 'delta'), token, now);
    expect((await buckets(s.availabilityId)).map((r) => r.total)).toEqual([4, 5, 7]);
  });

  test('concurrent requests carrying the same series never double-count', async () => {
    const s = await setup();
    const now = new Date();
    const start = at(10, now);
    const rounds = Array.from({ length: 8 }, (_, i) => request(s.serviceName, [hist(ok, start, at(9 - i, now), 10 * (i + 1), [10 * (i + 1), 0, 0, 0])]));
    // Every round twice, all at once: each minute must still hold exactly one increase of 10.
    await Promise.all([...rounds, ...rounds].map((r) => ingestOtlp(r, token, now)));
    const rows = await buckets(s.availabilityId);
    expect(rows.reduce((sum, r) => sum + r.total, 0)).toBe(80);
  });

  test('a series cached by one process and written by another meanwhile is read again, not double-counted', async () => {
    const s = await setup();
    const now = new Date();
    const start = at(6, now);
    const point = (n: number, count: number) => request(s.serviceName, [hist(ok, start, at(n, now), count, [count, 0, 0, 0])]);
    await ingestOtlp(point(5, 10), token, now); // process A takes the first point and caches the series
    const processA = new Map(cache);
    cache.clear(); // process B, which has nothing cached, takes the next point
    await ingestOtlp(point(4, 25), token, now);
    cache.clear();
    for (const [key, value] of processA) cache.set(key, value); // back to A, whose cached state is now stale
    await ingestOtlp(point(3, 40), token, now);
    expect((await buckets(s.availabilityId)).map((r) => r.total)).toEqual([10, 15, 15]);
  });

  test('points for no SLO are dropped and stored nowhere, but the catalog lists the metric and its attributes', async () => {
    const now = new Date();
    const name = uniqueSlug('nobody');
    const before = await db().otelSeries.count();
    const result = await ingestOtlp(request(name, [hist({ ...ok, 'http.route': '/nobody' }, at(3, now), at(2, now), 3, [3, 0, 0, 0])]), token, now);
    expect(result).toMatchObject({ accepted: 0, dropped: 1 });
    expect(await db().otelSeries.count()).toBe(before);
    const metric = (await listOtelMetrics()).metrics.find((m) => m.name === 'http.server.request.duration')!;
    expect(metric).toMatchObject({ type: 'histogram', unit: 's', temporality: 'cumulative', usable: true, bounds: BOUNDS });
    expect(metric.attributes.find((a) => a.scope === 'resource' && a.key === 'service.name')!.values).toContain(name);
    expect(metric.attributes.find((a) => a.scope === 'datapoint' && a.key === 'http.route')!.values).toContain('/nobody');
  });

  test('an SLO its service stopped pushing for goes stale with the reason, and fresh again when points return', async () => {
    const s = await setup();
    const now = new Date();
    await ingestOtlp(request(s.serviceName, [hist(ok, at(20, now), at(19, now), 3, [3, 0, 0, 0])]), token, new Date(now.getTime() - 18 * 60_000));
    // What the evaluator's pass does for pushed SLOs, without its pulls: the shared test database holds other files'
    // Prometheus SLOs too, some on backends that are gone, which a whole pass would wait for.
    await markQuietPushedSlos(now);
    let status = await getSloStatus({ service: s.service, slo: s.availability });
    expect(status.evaluation.staleSince).not.toBeNull();
    expect(status.evaluation.lastError).toMatchObject({ kind: 'no_data' });
    expect(status.evaluation.lastError!.message).toMatch(/No OpenTelemetry points for this SLO since/);
    await ingestOtlp(request(s.serviceName, [hist(ok, at(20, now), at(1, now), 5, [5, 0, 0, 0])]), token, now);
    status = await getSloStatus({ service: s.service, slo: s.availability });
    expect(status.evaluation.staleSince).toBeNull();
    expect(status.evaluation.lastError).toBeNull();
  });
});
