import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../lib/auth/authorize';
import { db } from '../../lib/db/client';
import { PrometheusSli, SloInput, type PrometheusRatioSli } from '../../lib/schemas';
import { PrometheusClient, type QueryData } from '../../lib/sources/prometheus/client';
import { fetchMinuteBuckets } from '../../lib/sources/prometheus/prometheus-source';
import { createDataSource } from '../../lib/use-cases/datasources/create-data-source';
import { createSlo } from '../../lib/use-cases/slos/create-slo';
import { evaluateAll } from '../../lib/use-cases/evaluation/evaluate-all';
import { evaluateSlo } from '../../lib/use-cases/evaluation/evaluate-slo';
import { computeSloStatus } from '../../lib/use-cases/slos/get-slo-status';
import { findSloRecord, type SloRecord } from '../../lib/db/slos';
import { makeService, uniqueSlug } from '../factories';
import { startPrometheus, type RunningPrometheus } from './harness';
import { generateCounters, minuteIncreases, openMetricsParts, selectSeries, sumMinutes, type GeneratedSeries } from './generate-counters';

const SYSTEM = systemActor('test');

// Issue 13, point 9: a long backend outage must not lose events. The whole backend has no samples for 3 hours
// (LONG) and, earlier, for 20 minutes (SHORT), while traffic goes on: the counters jump when samples come back, and
// instance "a" even restarted during the long gap. The minute after each gap must hold the gap's events, marked
// with where the gap began, however the reads fall: the gap inside one read, a catch-up starting inside it, history
// filled backwards across it. Expected figures come from the very samples Prometheus was loaded with.

const MIN = 60_000;
const HOUR = 60 * MIN;
const history = generateCounters({ hours: 36 });
const END = history.scenario.end;
const LONG = { from: END - 30 * HOUR, to: END - 27 * HOUR };
const SHORT = { from: END - 33 * HOUR, to: END - 33 * HOUR + 20 * MIN };
const RESTART = LONG.from + HOUR; // instance "a" restarts right after this (missed) scrape
const inGap = (t: number) => (t >= LONG.from && t < LONG.to) || (t >= SHORT.from && t < SHORT.to);

const series: GeneratedSeries[] = history.series.map((s) => {
  const restarts = s.name === 'http_requests_total' && s.labels.instance === 'a';
  const lost = restarts ? s.samples.filter(([t]) => t <= RESTART).at(-1)![1] : 0;
  const samples = s.samples.filter(([t]) => !inGap(t)).map(([t, v]): [number, number] => [t, t >= LONG.to ? v - lost : v]);
  return { ...s, samples };
});

let prometheus: RunningPrometheus;
let client: PrometheusClient;
let datasource: string;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: openMetricsParts(series, 2) });
  client = new PrometheusClient({ baseUrl: prometheus.url, timeoutMs: 30_000 });
  datasource = uniqueSlug('prom');
  await createDataSource({
    actor: SYSTEM,
    input: { slug: datasource, name: 'Test Prometheus', kind: 'prometheus', url: prometheus.url, auth: { kind: 'none' }, timeoutSeconds: 30 },
  });
}, 120_000);
afterAll(async () => {
  await prometheus?.close();
});

const ratio = (job: string) =>
  PrometheusSli.parse({
    source: 'prometheus',
    datasource,
    kind: 'ratio',
    badSelector: `http_requests_total{job="${job}",code="500"}`,
    totalSelector: `http_requests_total{job="${job}"}`,
  }) as PrometheusRatioSli;

async function makeSlo(job: string): Promise<SloRecord> {
  const service = await makeService();
  const slug = uniqueSlug('slo');
  await createSlo({
    actor: SYSTEM,
    service: service.slug,
    input: SloInput.parse({ slug, name: 'Availability', objective: 0.995, window: { kind: 'rolling', days: 1 }, sli: ratio(job) }),
  });
  return findSloRecord(service.slug, slug);
}

type Row = { start: Date; good: number; total: number; carriedFrom: Date | null };
const rowsOf = (slo: SloRecord): Promise<Row[]> =>
  db().sliBucket.findMany({ where: { sloId: slo.id }, orderBy: { start: 'asc' }, select: { start: true, good: true, total: true, carriedFrom: true } });
function sum(rows: readonly Row[], from: number, to: number) {
  const inside = rows.filter((r) => r.start.getTime() >= from && r.start.getTime() < to);
  return { total: inside.reduce((n, r) => n + r.total, 0), bad: inside.reduce((n, r) => n + r.total - r.good, 0) };
}

function truthOf(job: string) {
  const total = minuteIncreases(selectSeries(series, 'http_requests_total', { job }));
  const bad = minuteIncreases(selectSeries(series, 'http_requests_total', { job, code: '500' }));
  return (from: number, to: number) => ({ total: sumMinutes(total, from, to), bad: sumMinutes(bad, from, to) });
}

/** Prometheus's own increase() of the SLI's counters over [from, to), evaluated at `to`. */
async function prometheusIncrease(job: string, from: number, to: number) {
  const value = (d: QueryData) => (d.resultType === 'vector' ? (d.result[0]?.value[1] ?? 0) : NaN);
  const range = `${(to - from) / MIN}m`;
  const [total, bad] = await Promise.all([
    client.query(`sum(increase(http_requests_total{job="${job}"}[${range}]))`, new Date(to)),
    client.query(`sum(increase(http_requests_total{job="${job}",code="500"}[${range}]))`, new Date(to)),
  ]);
  return { total: value(total), bad: value(bad) };
}
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** The window every check sums: an hour either side of the long gap. */
const WINDOW = { from: LONG.from - HOUR, to: LONG.to + HOUR };

/**
 * What every way of reading must end with: the minute after each gap carries it, from the gap's start, and the
 * buckets over a window holding the long gap add up to the events the counters counted (and to Prometheus's own
 * increase() over it), not to the events of the minutes that had samples.
 */
async function expectCarried(job: string, rows: Row[]) {
  const truth = truthOf(job);
  const carried = rows.filter((r) => r.carriedFrom !== null);
  const long = carried.find((r) => r.carriedFrom!.getTime() === LONG.from);
  const short = carried.find((r) => r.carriedFrom!.getTime() === SHORT.from);
  expect(long, 'the minute after the long gap').toBeDefined();
  expect(short, 'the minute after the short gap').toBeDefined();
  // The first minute with a bucket after each gap: the one holding the first samples after it.
  expect(long!.start.getTime()).toBeGreaterThanOrEqual(LONG.to - MIN);
  expect(long!.start.getTime()).toBeLessThanOrEqual(LONG.to);
  expect(rows.some((r) => r.start.getTime() >= LONG.from && r.start < long!.start)).toBe(false);
  expect(long!.total).toBeGreaterThan(5_000); // hours of traffic, in one minute

  const want = truth(WINDOW.from, WINDOW.to);
  expect(sum(rows, WINDOW.from, WINDOW.to)).toEqual(want);
  const theirs = await prometheusIncrease(job, WINDOW.from, WINDOW.to);
  if (job === 'aligned') {
    // Samples on the window's edges: increase() extrapolates nothing and must agree within 0.1% (it does exactly).
    expect(relative(theirs.total, want.total), `increase() total ${theirs.total} vs ${want.total}`).toBeLessThanOrEqual(0.001);
    expect(relative(theirs.bad, want.bad), `increase() bad ${theirs.bad} vs ${want.bad}`).toBeLessThanOrEqual(0.001);
  } else {
    // Samples 4 to 11 s inside the edges: increase() misses those seconds' events and extrapolates over them at the
    // window's average rate, at most 30 s of 5 hours (0.17%) either way, plus a couple of discrete events.
    expect(Math.abs(theirs.total - want.total), `increase() total ${theirs.total} vs ${want.total}`).toBeLessThanOrEqual(0.002 * want.total + 2);
    expect(Math.abs(theirs.bad - want.bad), `increase() bad ${theirs.bad} vs ${want.bad}`).toBeLessThanOrEqual(0.002 * want.bad + 2);
  }
  return { long: long!, short: short! };
}

describe.each(['aligned', 'offset'])('%s scrapes: events across a gap in the samples are carried, not lost', (job) => {
  test('the gaps inside one read: the minute after each carries it, the figures hold its events', async () => {
    const slo = await makeSlo(job);
    const now = LONG.to + 2 * HOUR;
    expect(await evaluateSlo(slo, { now: new Date(now), backfillDays: 1 })).toMatchObject({ status: 'ok' });
    const rows = await rowsOf(slo);
    const { long, short } = await expectCarried(job, rows);

    // Without carrying, the long gap's events are lost: what the buckets as read hold over the same window.
    const asRead = await fetchMinuteBuckets(client, ratio(job), { from: new Date(WINDOW.from), to: new Date(WINDOW.to) });
    const readTotal = asRead.reduce((n, b) => n + b.total, 0);
    expect(readTotal).toBeLessThan(0.75 * truthOf(job)(WINDOW.from, WINDOW.to).total); // 3 of 5 hours, whatever the time of day
    // The short gap is within the hour the read carries counters across: its minute is as read, only marked.
    const shortAsRead = await fetchMinuteBuckets(client, ratio(job), { from: short.start, to: new Date(short.start.getTime() + MIN) });
    expect(shortAsRead).toEqual([{ start: short.start, good: short.good, total: short.total }]);
    expect(short.total).toBeGreaterThan(500);

    const status = await computeSloStatus(slo, { now: new Date(now) });
    expect(status.carriedGaps).toEqual(
      expect.arrayContaining([
        { from: new Date(LONG.from).toISOString(), to: long.start.toISOString(), good: long.good, total: long.total },
        { from: new Date(SHORT.from).toISOString(), to: short.start.toISOString(), good: short.good, total: short.total },
      ]),
    );
    const window = truthOf(job)(now - 1440 * MIN, now);
    expect(status.total).toBe(window.total);
    expect(status.total - status.good).toBe(window.bad);
  }, 120_000);

  test('a catch-up starting inside the gap, per SLO and batched alike; reading the minute again keeps what it carries', async () => {
    const single = await makeSlo(job);
    const batched = await makeSlo(job);
    // Read up to an hour into the gap (history included), then at its end, then on: each pass re-reads 5 minutes.
    const nows = [LONG.from + HOUR, LONG.to, LONG.to + 2 * MIN, LONG.to + 10 * MIN, LONG.to + HOUR + 5 * MIN];
    const carriedAt: Row[][] = [];
    for (const [i, now] of nows.entries()) {
      const backfillDays = i === 0 ? 1 : 0; // a day of history first; then only catch-up, to count its requests
      expect(await evaluateSlo(single, { now: new Date(now), backfillDays })).toMatchObject({ status: 'ok' });
      const run = await evaluateAll({ sloIds: [batched.id], now: new Date(now), backfillDays });
      expect(run.failed).toEqual([]);
      // Passes that read the minute after the gap ask for it again, once per side: 2 + 2 requests.
      if (i === 2 || i === 3) expect(run).toMatchObject({ batched: 1, groups: 1, requests: 4 });
      if (i === 1 || i === 4) expect(run).toMatchObject({ batched: 1, groups: 1, requests: 2 });
      const [a, b] = [await rowsOf(single), await rowsOf(batched)];
      expect(b).toEqual(a);
      if (i >= 2) carriedAt.push(a.filter((r) => r.carriedFrom?.getTime() === LONG.from));
    }
    // Passes 3 and 4 read the carried minute again: the same bucket, carriedFrom included.
    expect(carriedAt[0]).toHaveLength(1);
    expect(carriedAt[1]).toEqual(carriedAt[0]);
    expect(carriedAt[2]).toEqual(carriedAt[0]);
    await expectCarried(job, await rowsOf(single));
  }, 120_000);

  test('history filled backwards across the gap, and read again', async () => {
    const slo = await makeSlo(job);
    const now = LONG.from + 90 * MIN + 1440 * MIN; // the first day-chunk back starts inside the gap
    expect(await evaluateSlo(slo, { now: new Date(now), backfillDays: 2 })).toMatchObject({ status: 'ok', complete: false });
    const rows = await rowsOf(slo);
    await expectCarried(job, rows);

    // A re-read of the whole history (POST .../backfill) ends where it started.
    await db().sloEvaluation.update({ where: { sloId: slo.id }, data: { rereadUntil: new Date(now), historyFrom: new Date(now - 2 * 1440 * MIN) } });
    expect(await evaluateSlo(slo, { now: new Date(now), backfillDays: 2 })).toMatchObject({ status: 'ok' });
    expect(await rowsOf(slo)).toEqual(rows);
    expect((await computeSloStatus(slo, { now: new Date(now) })).carriedGaps.map((g) => g.from)).toContain(new Date(LONG.from).toISOString());
  }, 120_000);
});
