import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../lib/auth/authorize';
import { db } from '../../lib/db/client';
import { PrometheusSli, SloInput, type PrometheusLatencySli } from '../../lib/schemas';
import { burnRateOf, durationToMinutes, sliOf, type Counts } from '../../lib/slo';
import { PrometheusClient } from '../../lib/sources/prometheus/client';
import { previewSli } from '../../lib/sources/prometheus/prometheus-source';
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

// Issue 13, point 6: a latency SLO whose bucket boundary disappears (a re-bucketed histogram) must show the
// minutes from then on as data-quality faults, not as 100% errors. A real Prometheus over generated histograms:
//   rebucketed: le="0.3" is last scraped at T on both instances, then the histogram has le="0.4" instead;
//   rolling:    only instance "b" is re-bucketed, in the middle of a minute (T2), "a" keeps le="0.3".
// Expected figures come from the very samples Prometheus was loaded with.

const MIN = 60_000;
const HOUR = 60 * MIN;
const OBJECTIVE = 0.99;
const history = generateCounters({ hours: 12 });
const END = history.scenario.end;
const T = END - 3 * HOUR;
const T2 = END - 100 * MIN + 30_000;
const floorMinute = (t: number) => Math.floor(t / MIN) * MIN;

/** The latency job's histogram as job `job`, the le="0.3" bucket of the instances `cut` names ending at their time. */
function rebucketed(job: string, cut: Partial<Record<string, number>>): GeneratedSeries[] {
  const out: GeneratedSeries[] = [];
  for (const s of history.series.filter((x) => x.name.startsWith('request_duration_seconds_') && x.labels.job === 'latency')) {
    const labels = { ...s.labels, job };
    const until = cut[s.labels.instance!];
    if (until === undefined || s.name !== 'request_duration_seconds_bucket' || Number(s.labels.le) !== 0.3) {
      out.push({ ...s, labels });
      continue;
    }
    out.push({ ...s, labels, samples: s.samples.filter(([t]) => t <= until) });
    // Any counter will do for the new boundary: the 0.5 bucket's samples after the cut.
    const next = history.series.find((x) => x.name === s.name && x.labels.instance === s.labels.instance && x.labels.le === '0.5')!;
    out.push({ name: s.name, labels: { ...labels, le: '0.4' }, samples: next.samples.filter(([t]) => t > until) });
  }
  return out;
}
const series = [...rebucketed('rebucketed', { a: T, b: T }), ...rebucketed('rolling', { b: T2 })];

let prometheus: RunningPrometheus;
let datasource: string;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: openMetricsParts(series, 2) });
  datasource = uniqueSlug('prom');
  await createDataSource({
    actor: SYSTEM,
    input: { slug: datasource, name: 'Test Prometheus', kind: 'prometheus', url: prometheus.url, auth: { kind: 'none' }, timeoutSeconds: 30 },
  });
}, 120_000);
afterAll(async () => {
  await prometheus?.close();
});

const latency = (job: string) =>
  PrometheusSli.parse({
    source: 'prometheus',
    datasource,
    kind: 'latency',
    metric: 'request_duration_seconds',
    thresholdSeconds: 0.3,
    filters: { job },
  }) as PrometheusLatencySli;

async function makeLatencySlo(job: string): Promise<SloRecord> {
  const service = await makeService();
  const slug = uniqueSlug('slo');
  await createSlo({
    actor: SYSTEM,
    service: service.slug,
    input: SloInput.parse({ slug, name: 'Latency', objective: OBJECTIVE, window: { kind: 'rolling', days: 1 }, sli: latency(job) }),
  });
  return findSloRecord(service.slug, slug);
}

function truthOf(job: string) {
  return {
    good: minuteIncreases(selectSeries(series, 'request_duration_seconds_bucket', { job, le: (le) => Number(le) === 0.3 })),
    total: minuteIncreases(selectSeries(series, 'request_duration_seconds_count', { job })),
  };
}
const truth = { rebucketed: truthOf('rebucketed'), rolling: truthOf('rolling') };
const counts = (job: keyof typeof truth, from: number, to: number): Counts => ({
  good: sumMinutes(truth[job].good, from, to),
  total: sumMinutes(truth[job].total, from, to),
});

const bucketsOf = (slo: SloRecord) =>
  db().sliBucket.findMany({ where: { sloId: slo.id }, orderBy: { start: 'asc' }, select: { start: true, good: true, total: true, sourceFault: true } });

describe('a histogram bucket boundary that vanishes', () => {
  test("the minutes from T are histogram_bucket_missing faults, left out of every figure; before T the figures are the counters'", async () => {
    const slo = await makeLatencySlo('rebucketed');
    const asOf = T + 40 * MIN;
    expect(await evaluateSlo(slo, { now: new Date(asOf), backfillDays: 1 })).toMatchObject({ status: 'ok', faults: 40 });
    const status = await computeSloStatus(slo, { now: new Date(asOf) });
    expect(status.asOf).toBe(new Date(asOf).toISOString());
    expect(status.dataQuality.faultCount).toBe(40);
    expect(status.dataQuality.spans).toEqual([
      { reason: 'histogram_bucket_missing', from: new Date(T).toISOString(), to: new Date(asOf).toISOString(), minutes: 40 },
    ]);
    for (const fault of status.dataQuality.faults) expect(fault).toMatchObject({ good: 0, total: truth.rebucketed.total.get(Date.parse(fault.start)) });

    // The figures hold the minutes before T only, exactly as the counters counted them.
    const windowFrom = asOf - 1440 * MIN;
    const want = counts('rebucketed', windowFrom, T);
    expect(want.total).toBeGreaterThan(100_000);
    expect(status.total).toBe(want.total);
    expect(status.good).toBe(want.good);
    expect(status.sli).toBeCloseTo(sliOf(want)!, 12);
    const minutesWithSamples = [...truth.rebucketed.total.keys()].filter((m) => m >= END - 12 * HOUR && m < T);
    expect(status.measured.minutes).toBe(minutesWithSamples.length); // the scenario's 20-minute scrape gap has none
    // Burn rates: none over the minutes after T; a window reaching back before T burns at its earlier minutes' rate.
    expect(Object.keys(status.burnRates)).toEqual(expect.arrayContaining(['5m', '30m', '1h', '6h']));
    for (const [window, burn] of Object.entries(status.burnRates)) {
      const from = asOf - durationToMinutes(window) * MIN;
      if (from >= T) expect(burn, window).toBeNull();
      else expect(burn, window).toBeCloseTo(burnRateOf(counts('rebucketed', from, T), OBJECTIVE)!, 9);
    }
    expect(status.burnRates['1h']).toBeLessThan(20); // about 10 (a tenth of requests above 0.3 s); 100% errors would burn at 100

    // Read on to the end: still faults, still left out.
    expect(await evaluateSlo(slo, { now: new Date(END) })).toMatchObject({ status: 'ok' });
    const later = await computeSloStatus(slo, { now: new Date(END) });
    expect(later.dataQuality.faultCount).toBe(180);
    expect(later.dataQuality.spans).toHaveLength(1); // the newest 50 faulty minutes are listed
    expect(later.dataQuality.spans[0]).toMatchObject({ reason: 'histogram_bucket_missing', to: new Date(END).toISOString() });
    expect(later.total).toBe(counts('rebucketed', END - 1440 * MIN, T).total);
    expect(later.burnRates['1h']).toBeNull();
  }, 120_000);

  test('one instance re-bucketed mid-minute: the whole SLO is a fault from that minute, and the batched pass agrees with the per-SLO one', async () => {
    const jobs = ['rebucketed', 'rolling'] as const;
    const batched = await Promise.all(jobs.map(makeLatencySlo));
    const single = await Promise.all(jobs.map(makeLatencySlo));
    // Steady state: history complete, fresh up to half an hour before T; the pass catches up to the end.
    const freshUntil = new Date(T - 30 * MIN);
    const historyFrom = new Date(freshUntil.getTime() - 60 * MIN);
    for (const slo of [...batched, ...single]) {
      await db().sloEvaluation.create({ data: { sloId: slo.id, historyFrom, completeFrom: historyFrom, freshUntil } });
    }
    const a = await evaluateAll({ sloIds: batched.map((s) => s.id), now: new Date(END) });
    const b = await evaluateAll({ sloIds: single.map((s) => s.id), now: new Date(END), mode: 'per-slo' });
    expect([a.failed, b.failed]).toEqual([[], []]);
    expect(a).toMatchObject({ groups: 1, batched: 2, requests: 2 });

    for (const [i, job] of jobs.entries()) {
      const rows = await bucketsOf(batched[i]!);
      expect(rows, job).toEqual(await bucketsOf(single[i]!));
      expect(rows).toHaveLength((END - freshUntil.getTime()) / MIN + 5); // and the 5 minutes re-read before it
      const faultFrom = job === 'rebucketed' ? T : floorMinute(T2);
      for (const row of rows) {
        const m = row.start.getTime();
        if (m >= faultFrom)
          expect(row, row.start.toISOString()).toEqual({ start: row.start, good: 0, total: truth[job].total.get(m), sourceFault: 'histogram_bucket_missing' });
        else
          expect(row, row.start.toISOString()).toEqual({ start: row.start, good: truth[job].good.get(m), total: truth[job].total.get(m), sourceFault: null });
      }
      const status = await computeSloStatus(batched[i]!, { now: new Date(END) });
      expect(status.dataQuality.faultCount).toBe((END - faultFrom) / MIN);
    }
  }, 120_000);

  test('the preview shows no data where the bucket is missing, not 0%', async () => {
    const client = new PrometheusClient({ baseUrl: prometheus.url });
    const at = T + 40 * MIN;
    const preview = await previewSli(client, latency('rebucketed'), new Date(at));
    expect(preview).toMatchObject({ good: null, total: sumMinutes(truth.rebucketed.total, at - HOUR, at), sliLastHour: null, sliLastDay: null });
    const dataFrom = END - 12 * HOUR;
    for (const point of preview.sparkline) {
      const end = point.time.getTime();
      if (end > T) expect(point, point.time.toISOString()).toMatchObject({ good: null, sli: null });
      else if (end - HOUR > dataFrom) expect(point.sli, point.time.toISOString()).toBeCloseTo(sliOf(counts('rebucketed', end - HOUR, end))!, 12);
    }
    expect(preview.sparkline.filter((p) => p.sli !== null).length).toBeGreaterThan(5);
  }, 60_000);
});
