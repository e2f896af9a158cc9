import { afterEach, describe, expect, test } from 'vitest';
import { AggregationTemporality, DataPointType, MeterProvider, MetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { callShop, RecentTraffic, startLoad } from './load';
import { NO_FAULTS, ROUTES, seededRandom, type Faults } from './model';
import { matchRoute, startShop, type RunningShop } from './shop';
import { statusLine } from './status';
import { describeExportError } from './telemetry';
import { HTTP_DURATION_BUCKETS } from './umpire-api';

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const QUIET = { errorRatio: 0, slowRatio: 0, notFoundRatio: 0 };
const running: Array<{ shop: RunningShop; provider: MeterProvider }> = [];

afterEach(async () => {
  for (const { shop, provider } of running.splice(0)) {
    await shop.close();
    await provider.shutdown();
  }
});

async function shopWith(faults: () => Faults) {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  const requestDuration = provider
    .getMeter('test')
    .createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS } });
  const shop = await startShop({ requestDuration, faults, rand: seededRandom(5), baseline: QUIET });
  running.push({ shop, provider });
  const collect = async () => {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics[0]?.metrics[0] as HistogramMetricData | undefined;
    expect(metric?.dataPointType).toBe(DataPointType.HISTOGRAM);
    return metric!;
  };
  return { shop, collect };
}

describe('the shop', () => {
  test('records http.server.request.duration per request with the semantic-convention attributes', async () => {
    const { shop, collect } = await shopWith(() => NO_FAULTS);
    const rand = seededRandom(1);
    for (const route of ROUTES) await callShop(shop.url, route, rand);
    await callShop(shop.url, ROUTES[0]!, rand);
    const unknown = await fetch(`${shop.url}/nope`);
    expect(unknown.status).toBe(404);
    await unknown.arrayBuffer();

    const metric = await collect();
    expect(metric.descriptor).toMatchObject({ name: 'http.server.request.duration', unit: 's' });
    const points = metric.dataPoints.map((p) => ({ attributes: p.attributes, count: p.value.count, bounds: p.value.buckets.boundaries }));
    expect(points).toHaveLength(ROUTES.length + 1);
    for (const p of points) expect(p.bounds).toEqual(HTTP_DURATION_BUCKETS);
    expect(points.find((p) => p.attributes['http.route'] === '/products')).toMatchObject({
      count: 2,
      attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.scheme': 'http', 'network.protocol.version': '1.1' },
    });
    expect(points.find((p) => p.attributes['http.route'] === '/checkout')?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 201,
    });
    // A path no route knows: counted, but without http.route (raw paths would explode cardinality).
    const notFound = points.find((p) => p.attributes['http.route'] === undefined);
    expect(notFound?.attributes).toMatchObject({ 'http.response.status_code': 404 });
    // Durations are measured, in seconds: the shop sleeps tens of milliseconds per request.
    const sum = metric.dataPoints.reduce((s, p) => s + (p.value.sum ?? 0), 0);
    expect(sum).toBeGreaterThan(0.02);
    expect(sum).toBeLessThan(5);
  });

  test('injected faults show in the statuses, error.type and durations it records, and change at run time', async () => {
    let faults: Faults = { errorRatio: 1, errorRoutes: 'all', addedLatencyMs: 0 };
    const { shop, collect } = await shopWith(() => faults);
    const rand = seededRandom(2);
    const failed = await Promise.all(Array.from({ length: 10 }, () => callShop(shop.url, ROUTES[2]!, rand)));
    expect(failed.every((s) => s.status >= 500)).toBe(true);
    faults = { ...NO_FAULTS, addedLatencyMs: 600 };
    const slow = await Promise.all(Array.from({ length: 5 }, () => callShop(shop.url, ROUTES[2]!, rand)));
    expect(slow.every((s) => s.status === 200 && s.ms >= 600)).toBe(true);

    const metric = await collect();
    const errors = metric.dataPoints.filter((p) => Number(p.attributes['http.response.status_code']) >= 500);
    expect(errors.reduce((n, p) => n + p.value.count, 0)).toBe(10);
    for (const p of errors) expect(p.attributes['error.type']).toBe(String(p.attributes['http.response.status_code']));
    const ok = metric.dataPoints.find((p) => p.attributes['http.response.status_code'] === 200)!;
    expect(ok.value.count).toBe(5);
    // All five above 0.5 s: nothing in the buckets up to and including the 0.5 boundary.
    const upTo = HTTP_DURATION_BUCKETS.indexOf(0.5);
    expect(ok.value.buckets.counts.slice(0, upTo + 1).reduce((a, b) => a + b, 0)).toBe(0);
  });

  test('the load loop calls it at about the requested rate', async () => {
    const { shop } = await shopWith(() => NO_FAULTS);
    const traffic = new RecentTraffic(60_000);
    let served = 0;
    const load = startLoad({ shopUrl: shop.url, rate: 100, rand: seededRandom(9), onServed: (s) => (served++, traffic.add(s)) });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await load.stop();
    // 100/s for one second, Poisson: about 100; wide bounds for a busy machine.
    expect(served).toBeGreaterThan(40);
    expect(served).toBeLessThan(200);
    expect(traffic.summary().errorRatio).toBe(0);
  });
});

describe('matchRoute', () => {
  test.each([
    ['GET', '/products', '/products', true],
    ['GET', '/products/42', '/products/:id', true],
    ['POST', '/checkout', '/checkout', true],
    ['GET', '/checkout', null, false],
    ['GET', '/products/42/reviews', null, true],
  ])('%s %s -> %s', (method, path, route, allowed) => {
    const match = matchRoute(method, path);
    expect(match.route?.route ?? null).toBe(route);
    expect(match.methodAllowed).toBe(allowed);
  });
});

describe('the status line', () => {
  const now = 1_000_000;
  test('shows faults, what callers see and the export state', () => {
    const line = statusLine(
      { errorRatio: 0.3, errorRoutes: 'all', addedLatencyMs: 800 },
      { perSecond: 19.5, errorRatio: 0.31, slowRatio: 1, p99Ms: 912 },
      { ok: 4, failed: 0, lastOkAt: now - 3000, problem: null, refused: null },
      now,
    );
    expect(line).toBe('[30% errors on every route, +800 ms] 19.5 req/s, 5xx 31%, over 500 ms 100%, p99 912 ms | exported 4x, last 3 s ago');
  });

  test('says when exports fail and why', () => {
    const unauthorized = Object.assign(new Error('Unauthorized'), { code: 401, data: '{"code":16,"message":"the token is not valid"}' });
    expect(describeExportError(unauthorized, 'http://u')).toMatch(/^Umpire refused the ingest token \(401\): it is wrong, revoked or expired/);
    expect(describeExportError(new Error('connect ECONNREFUSED 127.0.0.1:3000'), 'http://u')).toMatch(
      /^Umpire is not reachable at http:\/\/u \(connect ECONNREFUSED/,
    );
    const line = statusLine(
      NO_FAULTS,
      { perSecond: 0, errorRatio: null, slowRatio: null, p99Ms: null },
      { ok: 0, failed: 1, lastOkAt: null, problem: 'down', refused: null },
      now,
    );
    expect(line).toBe('[no faults] no requests yet | export failing: down');
  });
});
