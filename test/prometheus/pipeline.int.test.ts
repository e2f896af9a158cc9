import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../lib/auth/authorize';
import { db } from '../../lib/db/client';
import { PrometheusSli, SloInput, type PrometheusRatioSli } from '../../lib/schemas';
import { burnRateOf, durationToMinutes, errorBudget, sliOf, type Counts } from '../../lib/slo';
import { PrometheusClient, type QueryData } from '../../lib/sources/prometheus/client';
import { BUCKET_INCREASE } from '../../lib/sources/prometheus/prometheus-source';
import { ratioQueries } from '../../lib/sources/prometheus/promql';
import { createDataSource } from '../../lib/use-cases/datasources/create-data-source';
import { createSlo } from '../../lib/use-cases/slos/create-slo';
import { evaluateAll } from '../../lib/use-cases/evaluation/evaluate-all';
import { evaluateSlo } from '../../lib/use-cases/evaluation/evaluate-slo';
import { computeSloStatus } from '../../lib/use-cases/slos/get-slo-status';
import { findSloRecord, type SloRecord } from '../../lib/db/slos';
import { makeService, uniqueSlug } from '../factories';
import { startPrometheus, type RunningPrometheus } from './harness';
import { generateCounters, minuteIncreases, openMetricsParts, selectSeries, sumMinutes } from './generate-counters';

const SYSTEM = systemActor('test');

// The whole path: a real Prometheus -> the evaluator -> buckets in PostgreSQL -> the status API's figures,
// checked against the test's own counters and against Prometheus evaluating the same PromQL over each window.

const MIN = 60_000;
const OBJECTIVE = 0.995;
const TOLERANCE = 0.001;
const history = generateCounters();
const { scenario } = history;
const END = new Date(Math.floor(scenario.end / MIN) * MIN);
let prometheus: RunningPrometheus;
let datasource: string;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: openMetricsParts(history.series, 2) });
  datasource = uniqueSlug('prom');
  await createDataSource({
    actor: SYSTEM,
    input: { slug: datasource, name: 'Test Prometheus', kind: 'prometheus', url: prometheus.url, auth: { kind: 'none' }, timeoutSeconds: 30 },
  });
}, 60_000);
afterAll(async () => {
  await prometheus?.close();
});

const ratio = (job: string, ds = () => datasource): PrometheusRatioSli =>
  PrometheusSli.parse({
    source: 'prometheus',
    datasource: ds(),
    kind: 'ratio',
    badSelector: `http_requests_total{job="${job}",code="500"}`,
    totalSelector: `http_requests_total{job="${job}"}`,
  }) as PrometheusRatioSli;

async function makePrometheusSlo(sli: PrometheusSli, ds?: string): Promise<SloRecord> {
  const service = await makeService();
  const slug = uniqueSlug('slo');
  await createSlo({
    actor: SYSTEM,
    service: service.slug,
    input: SloInput.parse({
      slug,
      name: 'Availability',
      objective: OBJECTIVE,
      window: { kind: 'rolling', days: 3 },
      sli: { ...sli, ...(ds ? { datasource: ds } : {}) },
    }),
  });
  return findSloRecord(service.slug, slug);
}

const relative = (a: number, b: number) => (b === 0 ? (a === 0 ? 0 : Infinity) : Math.abs(a - b) / Math.abs(b));
function expectClose(actual: number | null | undefined, expected: number | null, what: string) {
  if (expected === null || actual === null || actual === undefined) return expect(actual ?? null, what).toBe(expected);
  expect(relative(actual, expected), `${what}: got ${actual}, want ${expected}`).toBeLessThanOrEqual(TOLERANCE);
}

function truth(job: string, from: number, to: number): Counts {
  const total = sumMinutes(minuteIncreases(selectSeries(history.series, 'http_requests_total', { job })), from, to);
  const bad = sumMinutes(minuteIncreases(selectSeries(history.series, 'http_requests_total', { job, code: '500' })), from, to);
  return { good: total - bad, total };
}

async function prometheusOwn(sli: PrometheusRatioSli, windowMinutes: number, end: Date): Promise<Counts> {
  const client = new PrometheusClient({ baseUrl: prometheus.url });
  const q = ratioQueries(sli, `${windowMinutes}m`, BUCKET_INCREASE);
  const value = (d: QueryData) => (d.resultType === 'vector' ? (d.result[0]?.value[1] ?? 0) : NaN);
  const [good, total] = await Promise.all([client.query(q.good, end), client.query(q.total, end)]);
  return { good: value(good), total: value(total) };
}

describe('Prometheus SLOs through the evaluator', () => {
  test.each(['aligned', 'offset'])(
    '%s scrapes: SLI, budget remaining and every tier burn rate equal the counters and Prometheus itself',
    async (job) => {
      const slo = await makePrometheusSlo(ratio(job));
      const outcome = await evaluateSlo(slo, { now: END, backfillDays: 4 });
      expect(outcome).toMatchObject({ status: 'ok' });
      const status = await computeSloStatus(slo, { now: END });
      expect(status.asOf).toBe(END.toISOString());
      expect(status.evaluation.staleSince).toBeNull();
      expect(status.evaluation.backfill?.completeFrom).toBe(new Date(END.getTime() - 4 * 1440 * MIN).toISOString());

      const windowFrom = END.getTime() - 3 * 1440 * MIN;
      const want = truth(job, windowFrom, END.getTime());
      expectClose(status.total, want.total, 'window total');
      expectClose(status.good, want.good, 'window good');
      expectClose(status.sli, sliOf(want), 'SLI');
      // Remaining budget is 1 - consumed; compare what is spent, which is what could be off.
      expectClose(status.errorBudget.consumed, errorBudget(sliOf(want), OBJECTIVE).consumed, 'budget consumed');
      const own = await prometheusOwn(ratio(job), 3 * 1440, END);
      expectClose(status.sli, sliOf(own), 'SLI vs Prometheus');

      for (const alert of status.alerts) {
        for (const [window, burn] of [
          [alert.longWindow, alert.longBurnRate],
          [alert.shortWindow, alert.shortBurnRate],
        ] as const) {
          const minutes = durationToMinutes(window);
          expectClose(burn, burnRateOf(truth(job, END.getTime() - minutes * MIN, END.getTime()), OBJECTIVE), `${window} burn rate`);
          expectClose(burn, burnRateOf(await prometheusOwn(ratio(job), minutes, END), OBJECTIVE), `${window} burn rate vs Prometheus`);
        }
      }
    },
    120_000,
  );

  test('Prometheus stopped mid-way: the SLO is stale since its last good minute; on restart the gap is filled, nothing counted twice', async () => {
    const slo = await makePrometheusSlo(ratio('aligned'));
    const t1 = new Date(END.getTime() - 3 * 60 * MIN);
    const t2 = new Date(END.getTime() - 90 * MIN);
    expect(await evaluateSlo(slo, { now: t1, backfillDays: 1 })).toMatchObject({ status: 'ok' });

    await prometheus.stop();
    try {
      const failed = await evaluateSlo(slo, { now: t2 });
      expect(failed).toMatchObject({ status: 'failed', kind: 'unreachable' });
      const stale = await computeSloStatus(slo, { now: t2 });
      expect(stale.evaluation.staleSince).toBe(t1.toISOString());
      expect(stale.evaluation.lastError?.kind).toBe('unreachable');
      expect(stale.evaluation.lastError?.message).toMatch(/cannot reach/);
    } finally {
      await prometheus.restart();
    }

    expect(await evaluateSlo(slo, { now: END })).toMatchObject({ status: 'ok' });
    const status = await computeSloStatus(slo, { now: END });
    expect(status.evaluation.staleSince).toBeNull();
    expect(status.evaluation.lastError).toBeNull();
    // The 6-hour window spans the outage: every minute is there once, and the counts are the counters'.
    const from = END.getTime() - 6 * 60 * MIN;
    const want = truth('aligned', from, END.getTime());
    expectClose(status.burnRates['6h'], burnRateOf(want, OBJECTIVE), '6h burn rate after the gap');
    const rows = await db().sliBucket.count({ where: { sloId: slo.id, start: { gte: new Date(from), lt: END } } });
    expect(rows).toBe(360);
  }, 120_000);

  test('two evaluators never work on the same SLO at once, and together count every minute once', async () => {
    const slo = await makePrometheusSlo(ratio('offset'));
    const first = evaluateSlo(slo, { now: END, owner: 'evaluator-a', backfillDays: 4 });
    // While A holds the lease, B is turned away rather than reading the same minutes.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const row = await db().sloEvaluation.findUnique({ where: { sloId: slo.id } });
      if (row?.leaseOwner === 'evaluator-a') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await evaluateSlo(slo, { now: END, owner: 'evaluator-b' })).toEqual({ status: 'skipped', reason: 'leased' });
    expect(await first).toMatchObject({ status: 'ok' });
    // Once A is done, B may evaluate: it rereads recent minutes, replacing them.
    expect(await evaluateSlo(slo, { now: END, owner: 'evaluator-b' })).toMatchObject({ status: 'ok' });
    const status = await computeSloStatus(slo, { now: END });
    expectClose(status.total, truth('offset', END.getTime() - 3 * 1440 * MIN, END.getTime()).total, 'total after two evaluators');
  }, 120_000);

  test('NaN samples become data-quality faults with their minutes, and do not blank the SLI', async () => {
    const slo = await makePrometheusSlo(
      PrometheusSli.parse({ source: 'prometheus', datasource, kind: 'ratio', goodSelector: 'weird_requests_total', totalSelector: 'weird_requests_total' }),
    );
    await evaluateSlo(slo, { now: END, backfillDays: 4 });
    const status = await computeSloStatus(slo, { now: END });
    expect(status.dataQuality.faultCount).toBeGreaterThan(0);
    for (const fault of status.dataQuality.faults) {
      expect(fault.reason).toBe('not_a_number');
      const t = Date.parse(fault.start);
      // A NaN sample poisons the minute it is in and the next (whose increase starts from it).
      expect(t).toBeGreaterThanOrEqual(Math.floor(scenario.nanPeriod.from / MIN) * MIN - MIN);
      expect(t).toBeLessThan(scenario.nanPeriod.to + 60 * MIN + MIN);
    }
    expect(status.sli).not.toBeNull();
    expect(Number.isFinite(status.sli)).toBe(true);
  }, 120_000);
});

describe('backends that misbehave', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url?.startsWith('/slow/')) {
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"status":"success","data":{"resultType":"matrix","result":[]}}');
        }, 3000);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Welcome to nginx!</body></html>');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a slow backend times out at its data source timeout, a malformed one is bad_response, and the healthy SLO is still evaluated', async () => {
    const slow = uniqueSlug('slow');
    const html = uniqueSlug('html');
    await createDataSource({
      actor: SYSTEM,
      input: { slug: slow, name: 'Slow', kind: 'prometheus', url: `${base}/slow`, auth: { kind: 'none' }, timeoutSeconds: 1 },
    });
    await createDataSource({
      actor: SYSTEM,
      input: { slug: html, name: 'HTML', kind: 'prometheus', url: `${base}/html`, auth: { kind: 'none' }, timeoutSeconds: 5 },
    });
    const slowSlo = await makePrometheusSlo(ratio('aligned'), slow);
    const htmlSlo = await makePrometheusSlo(ratio('aligned'), html);
    const healthy = await makePrometheusSlo(ratio('aligned'));

    const started = Date.now();
    const run = await evaluateAll({ sloIds: [slowSlo.id, htmlSlo.id, healthy.id], now: END, backfillDays: 1 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.evaluated).toBe(1);
    expect(run.failed.map((f) => [f.slo, f.kind]).sort()).toEqual(
      [
        [htmlSlo.slug, 'bad_response'],
        [slowSlo.slug, 'timeout'],
      ].sort(),
    );

    const slowStatus = await computeSloStatus(slowSlo, { now: END });
    expect(slowStatus.evaluation.lastError).toMatchObject({ kind: 'timeout' });
    expect(slowStatus.evaluation.lastError?.message).toContain('1000 ms');
    expect(slowStatus.dataState).toBe('partial');
    const htmlStatus = await computeSloStatus(htmlSlo, { now: END });
    expect(htmlStatus.evaluation.lastError?.kind).toBe('bad_response');
    expect((await computeSloStatus(healthy, { now: END })).sli).not.toBeNull();
  }, 60_000);
});
