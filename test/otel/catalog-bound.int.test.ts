// Issue 14, item 12: 1,000 junk metric names hid every real metric from the SLO form's picker for 7 days. Each
// ingest token now adds a bounded number of names to the catalogue (UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN, 200),
// its exporter is told when it reaches the bound (points for SLOs still count), and the picker's list takes the
// metrics SLOs read first, then each token's in turn: another token's real metric stays on the first page.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as metricsRoute from '@/app/api/v1/otel/metrics/route';
import { POST } from '@/app/v1/metrics/route';
import { db } from '@/lib/db/client';
import { reloadEnv } from '@/lib/env';
import type { OtelMetricList } from '@/lib/schemas';
import { forgetCatalogWrites } from './forget-catalog-writes';
import { makeIngestToken } from '../auth';
import { callRoute, makeService, makeSlo, uniqueSlug } from '../factories';

const MIN = 60_000_000_000n;
const at = (minutesAgo: number) => (BigInt(Math.floor(Date.now() / 60_000)) - BigInt(minutesAgo)) * MIN + 15_000_000_000n;

/** One cumulative monotonic sum per name, one point each, from service.name `service`. */
function counters(service: string, names: string[], value = 1): string {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: names.map((name) => ({
              name,
              sum: {
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: [{ asInt: String(value), startTimeUnixNano: String(at(5)), timeUnixNano: String(at(2)), attributes: [] }],
              },
            })),
          },
        ],
      },
    ],
  });
}

async function push(token: string, body: string) {
  const response = await POST(
    new Request('http://umpire.test/v1/metrics', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body }),
  );
  expect(response.status).toBe(200);
  const text = await response.text();
  return text ? (JSON.parse(text) as { partialSuccess?: { rejectedDataPoints?: string; errorMessage?: string } }).partialSuccess : undefined;
}

async function picker(query = ''): Promise<OtelMetricList> {
  const response = await callRoute(metricsRoute.GET, { path: `/api/v1/otel/metrics${query}` });
  expect(response.status).toBe(200);
  return (await response.json()) as OtelMetricList;
}

const saved = process.env.UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN;
beforeEach(() => forgetCatalogWrites());
afterEach(() => {
  if (saved === undefined) delete process.env.UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN;
  else process.env.UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN = saved;
  reloadEnv();
});

describe('the metric catalogue', () => {
  test('1,000 junk names from one token: 200 catalogued, the exporter told, points for SLOs counted, another token’s real metric on the first page', async () => {
    const run = uniqueSlug('c');
    const junk = Array.from({ length: 1000 }, (_, i) => `aaa.junk.${run}.${String(i).padStart(4, '0')}`);
    const real = `zz.checkout.requests.${run}`;
    // An SLO reads a metric the flooder also sends, last in its request, past its bound.
    const used = `zz.orders.processed.${run}`;
    const app = uniqueSlug('orders');
    const service = await makeService();
    const slo = await makeSlo(service.slug, {
      sli: {
        source: 'otel',
        metric: used,
        filters: [{ kind: 'match', attribute: 'service.name', scope: 'resource', values: [app] }],
        good: [{ kind: 'compare', attribute: 'code', scope: 'datapoint', operator: 'lt', value: 500 }],
      },
    });
    const flooder = await makeIngestToken({ name: `flooder ${run}` });
    const exporter = await makeIngestToken({ name: `checkout ${run}` });

    const answer = await push(flooder.token, counters(app, [...junk, used], 7));
    expect(answer?.rejectedDataPoints).toBe('0');
    expect(answer?.errorMessage).toBe(
      `801 metric names ("aaa.junk.${run}.0200", "aaa.junk.${run}.0201", "aaa.junk.${run}.0202", …) not added to the catalogue the SLO form lists: token "flooder ${run}" has added 200 names, as many as one token may (UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN); points for SLOs still count`,
    );
    const sloRow = await db().slo.findFirstOrThrow({ where: { slug: slo.slug, service: { slug: service.slug } } });
    expect((await db().sliBucket.aggregate({ where: { sloId: sloRow.id }, _sum: { total: true } }))._sum.total).toBe(7);
    expect(await db().otelMetricToken.count({ where: { tokenId: flooder.id } })).toBe(200);
    expect(await db().otelMetric.count({ where: { name: { startsWith: `aaa.junk.${run}.` } } })).toBe(200);

    // Its next junk names are not catalogued either: the bound holds across requests.
    const again = await push(flooder.token, counters(app, [`aaa.junk.${run}.more`]));
    expect(again?.errorMessage).toMatch(/^1 metric name \("aaa\.junk\..*\.more"\) not added to the catalogue/);
    expect(await db().otelMetric.count({ where: { name: { startsWith: `aaa.junk.${run}.` } } })).toBe(200);

    expect(await push(exporter.token, counters(uniqueSlug('checkout'), [real, used]))).toBeUndefined();

    const page = await picker();
    const names = page.metrics.map((m) => m.name);
    expect(page.truncated).toBe(true);
    expect(names).toHaveLength(200);
    expect(names).toContain(real);
    // The metric an SLO reads comes before any metric none reads; then each token's in turn, the flooder's second after every token's first.
    const firstUnused = page.metrics.findIndex((m) => m.slos === 0);
    expect(page.metrics.slice(firstUnused).every((m) => m.slos === 0)).toBe(true);
    expect(names.indexOf(used)).toBeLessThan(firstUnused);
    expect(page.metrics[names.indexOf(used)]!.slos).toBe(1);
    expect(names.indexOf(real)).toBeLessThan(names.indexOf(`aaa.junk.${run}.0001`));
    // Found by name beyond the first page too.
    expect((await picker(`?q=${encodeURIComponent(`junk.${run}.0199`)}`)).metrics.map((m) => m.name)).toEqual([`aaa.junk.${run}.0199`]);
    expect((await picker(`?name=${encodeURIComponent(real)}`)).metrics.map((m) => m.name)).toEqual([real]);
  });

  test('the bound is configurable; names already catalogued for a token keep being refreshed', async () => {
    process.env.UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN = '3';
    reloadEnv();
    const run = uniqueSlug('b');
    const token = await makeIngestToken();
    const names = ['a', 'b', 'c', 'd', 'e'].map((n) => `bound.${run}.${n}`);
    const answer = await push(token.token, counters('svc', names));
    expect(answer?.errorMessage).toMatch(/^2 metric names \("bound\..*\.d", "bound\..*\.e"\) not added .* has added 3 names/);
    forgetCatalogWrites(); // a minute later, as far as this process's throttling knows
    expect(await push(token.token, counters('svc', names.slice(0, 3)))).toBeUndefined();
    expect((await db().otelMetricToken.findMany({ where: { tokenId: token.id }, orderBy: { metric: 'asc' } })).map((r) => r.metric)).toEqual(names.slice(0, 3));
  });

  test.each(['?limit=0', '?limit=1001', '?limit=abc', `?q=${'x'.repeat(201)}`, '?other=1'])('refuses %s with the field named', async (query) => {
    const response = await callRoute(metricsRoute.GET, { path: `/api/v1/otel/metrics${query}` });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
  });
});
