import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as slos from '../../app/api/v1/services/[service]/slos/route';
import * as preview from '../../app/api/v1/sli/preview/route';
import * as statusRoute from '../../app/api/v1/services/[service]/slos/[slo]/status/route';
import { systemActor } from '../../lib/auth/authorize';
import { SliPreviewResult, SloStatus } from '../../lib/schemas';
import { createDataSource } from '../../lib/use-cases/datasources/create-data-source';
import { callRoute, makeService, uniqueSlug } from '../factories';
import { startPrometheus, type RunningPrometheus } from './harness';
import { generateCounters, openMetricsParts } from './generate-counters';

const SYSTEM = systemActor('test');

// Saving and previewing Prometheus SLIs through the API, against a real Prometheus loaded with recent history.

const history = generateCounters();
let prometheus: RunningPrometheus;
let datasource: string;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: openMetricsParts(history.series, 2) });
  datasource = uniqueSlug('prom');
  await createDataSource({
    actor: SYSTEM,
    input: { slug: datasource, name: 'Prom', kind: 'prometheus', url: prometheus.url, auth: { kind: 'none' }, timeoutSeconds: 30 },
  });
}, 60_000);
afterAll(async () => {
  await prometheus?.close();
});

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

const latency = (thresholdSeconds: number) => ({
  source: 'prometheus',
  datasource,
  kind: 'latency',
  metric: 'request_duration_seconds',
  thresholdSeconds,
  filters: { job: 'latency' },
});

async function createSlo(service: string, sli: Record<string, unknown>): Promise<Response> {
  return callRoute(slos.POST, { method: 'POST', params: { service }, body: { slug: uniqueSlug('slo'), name: 'Latency', objective: 0.99, sli } });
}

describe('saving Prometheus SLOs', () => {
  test('a latency threshold must be an existing bucket boundary, whichever way the clients wrote "1"', async () => {
    const service = await makeService();
    // Instance "a" writes le="1", instance "b" le="1.0": both are the boundary 1.
    const ok = await createSlo(service.slug, latency(1));
    expect(ok.status).toBe(201);
    const refused = await createSlo(service.slug, latency(0.4));
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as ErrorBody;
    expect(body.error.fields?.['sli.thresholdSeconds']).toMatch(/^must be an existing bucket boundary: .*\b1\b.*\+Inf/);
  });

  test('an unknown data source is refused on the sli.datasource field', async () => {
    const service = await makeService();
    const response = await createSlo(service.slug, { ...latency(1), datasource: 'no-such-prometheus' });
    expect(response.status).toBe(422);
    expect(((await response.json()) as ErrorBody).error.fields).toEqual({ 'sli.datasource': 'no such data source' });
  });

  test('a new Prometheus SLO reports partial with no backfill yet, instead of 0% or 100%', async () => {
    const service = await makeService();
    const created = await createSlo(service.slug, {
      source: 'prometheus',
      datasource,
      kind: 'ratio',
      badSelector: 'http_requests_total{job="aligned",code="500"}',
      totalSelector: 'http_requests_total{job="aligned"}',
    });
    const slo = ((await created.json()) as { slug: string }).slug;
    const status = SloStatus.parse(await (await callRoute(statusRoute.GET, { params: { service: service.slug, slo } })).json());
    expect(status.sli).toBeNull();
    expect(status.dataState).toBe('no_data');
    expect(status.coverage).toBe(0);
    expect(status.evaluation.backfill).toBeNull();
  });
});

describe('POST /api/v1/sli/preview', () => {
  test('shows the last hour, the last day and 24 hourly points before the SLO exists', async () => {
    const response = await callRoute(preview.POST, {
      method: 'POST',
      body: {
        sli: {
          source: 'prometheus',
          datasource,
          kind: 'ratio',
          badSelector: 'http_requests_total{job="aligned",code="500"}',
          totalSelector: 'http_requests_total{job="aligned"}',
        },
      },
    });
    expect(response.status).toBe(200);
    const result = SliPreviewResult.parse(await response.json());
    if (!result.ok) throw new Error(result.error.message);
    expect(result.preview.total).toBeGreaterThan(0);
    expect(result.preview.sliLastHour).toBeGreaterThan(0.5);
    expect(result.preview.sliLastHour).toBeLessThanOrEqual(1);
    expect(result.preview.sparkline).toHaveLength(24);
  });

  test("a wrong query comes back with Prometheus's own error text", async () => {
    const response = await callRoute(preview.POST, {
      method: 'POST',
      body: {
        sli: {
          source: 'prometheus',
          datasource,
          kind: 'advanced',
          goodQuery: 'sum(rate(http_requests_total[$__range]) by',
          totalQuery: 'sum(increase(http_requests_total[$__range]))',
        },
      },
    });
    const result = SliPreviewResult.parse(await response.json());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('bad_query');
    expect(result.error.message).toMatch(/parse error/);
  });

  test('the demo source previews too, and bad input is a 400 naming the field', async () => {
    const demo = SliPreviewResult.parse(
      await (await callRoute(preview.POST, { method: 'POST', body: { sli: { source: 'demo', profile: 'availability' } } })).json(),
    );
    expect(demo.ok && demo.preview.sliLastDay).toBeGreaterThan(0.9);
    const bad = await callRoute(preview.POST, {
      method: 'POST',
      body: { sli: { source: 'prometheus', datasource, kind: 'advanced', goodQuery: 'up', totalQuery: 'up' } },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as ErrorBody).error.fields ?? {})).toContain('sli.goodQuery');
  });
});
