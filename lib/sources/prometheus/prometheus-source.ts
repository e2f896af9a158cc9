import type { PrometheusSli } from '../../schemas/prometheus';
import type { MinuteBucket } from '../types';
import { PrometheusError, type MatrixSeries, type PrometheusClient, type QueryData } from './client';
import { formatRange, labelMatchers, sliQueries, steppedIncrease, type CounterIncrease, type SliQueries } from './promql';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const BUCKET_STEP_SECONDS = 15;
/** How long a gap in a counter's samples the buckets as read carry it across (last_over_time's range). */
const BUCKET_HOLD_MS = HOUR_MS;
/** A carried minute is read with the minutes before it in the gap, up to this many ms (see carriedRead). */
const CARRIED_RANGE_MS = 10 * MINUTE_MS;

/**
 * The counter formulation for stored buckets. Plain increase(x[1m]) extrapolates each minute from the
 * samples inside it; with scrapes not aligned to the minute that is off by several percent per minute and
 * does not add up to increase() over longer windows (measured in test/prometheus/accuracy.int.test.ts).
 * The stepped form adds up exactly.
 */
export const BUCKET_INCREASE: CounterIncrease = steppedIncrease({ stepSeconds: BUCKET_STEP_SECONDS, hold: formatRange(BUCKET_HOLD_MS) });

export interface FetchBucketsOptions {
  signal?: AbortSignal;
  /** Minutes per query_range request (one point each); 1440 = one day, far below the 11,000-point limit. */
  chunkMinutes?: number;
  /** Counter formulation for ratio and latency SLIs; advanced SLIs use their own PromQL. */
  increase?: CounterIncrease;
}

/**
 * One-minute buckets for the whole minutes in [from, to). Bucket [t - 1m, t) is `good` and `total` over
 * range 1m evaluated at t, both sides at the same timestamps (query_range, step 60 s).
 *
 * No data vs no traffic: a minute whose total series have no sample at all is left out (no data); a minute
 * whose counters were scraped but did not move is total 0 (a quiet period). The total query decides, so no
 * `or vector(0)` on it. A missing good side with a present total: see minuteBucket. NaN, Inf and good > total
 * come back as they are, for the caller to flag.
 */
export async function fetchMinuteBuckets(
  client: PrometheusClient,
  sli: PrometheusSli,
  range: { from: Date; to: Date },
  options: FetchBucketsOptions = {},
): Promise<MinuteBucket[]> {
  const chunkMinutes = options.chunkMinutes ?? 1440;
  if (!Number.isInteger(chunkMinutes) || chunkMinutes < 1 || chunkMinutes > 10_000) {
    throw new RangeError('chunkMinutes must be 1 to 10000 whole minutes');
  }
  const queries = sliQueries(sli, '1m', options.increase ?? BUCKET_INCREASE);
  const firstMinute = Math.ceil(range.from.getTime() / MINUTE_MS);
  const endMinute = Math.floor(range.to.getTime() / MINUTE_MS);
  const buckets: MinuteBucket[] = [];
  for (let chunkStart = firstMinute; chunkStart < endMinute; chunkStart += chunkMinutes) {
    const chunkEnd = Math.min(chunkStart + chunkMinutes, endMinute);
    // Evaluated at each minute's end: the first point closes minute chunkStart, the last closes chunkEnd - 1.
    const start = new Date((chunkStart + 1) * MINUTE_MS);
    const end = new Date(chunkEnd * MINUTE_MS);
    const [good, total] = await Promise.all([
      client.queryRange(queries.good, start, end, 60, { signal: options.signal }),
      client.queryRange(queries.total, start, end, 60, { signal: options.signal }),
    ]);
    const goodByTime = pointsByTime(good, 'good');
    for (const [time, totalValue] of pointsByTime(total, 'total')) {
      buckets.push(minuteBucket(sli.kind, new Date(time - MINUTE_MS), goodByTime.get(time) ?? null, totalValue));
    }
  }
  return buckets;
}

/**
 * A minute as the two sides answered it, the total present. A missing good side of a ratio SLI is 0 good: a good
 * counter whose series does not exist yet has counted nothing. A latency SLI's good side is missing only when a
 * _count series lacks its bucket at the threshold (promql.ts unlessBucketMissing): a data-quality fault, not 0
 * good, or a re-bucketed histogram would read as an outage (docs/slo-math.md, "Vanished histogram buckets").
 */
export function minuteBucket(kind: PrometheusSli['kind'], start: Date, good: number | null, total: number): MinuteBucket {
  if (good !== null) return { start, good, total };
  return kind === 'latency' ? { start, good: 0, total, fault: 'histogram_bucket_missing' } : { start, good: 0, total };
}

/**
 * Whether the buckets as read hold the whole increase across a gap that began at `gapStart` and ended with the
 * minute starting at `start`: the first step after the gap looks back at most (start + 1 min - gapStart + 45 s)
 * for the last sample before it, which BUCKET_INCREASE's hold reaches when that is under the hold.
 */
export function carriedByRead(gap: { gapStart: Date; start: Date }): boolean {
  return gap.start.getTime() + MINUTE_MS - gap.gapStart.getTime() <= BUCKET_HOLD_MS - MINUTE_MS;
}

/**
 * How to read a gap's carried minute again when its gap is longer than the hold: the stepped increase at the end of
 * the minute, with a hold reaching back past the gap's start to the last sample before it, over the minute and up
 * to 9 minutes of the gap before it (the first sample after the gap may sit at the end of a minute that got no
 * bucket: its only step had nothing before it within the hold). The gap has no samples, so these ranges cost little
 * however long it was; the result is exact and reset-aware like every bucket (docs/slo-math.md, "Gaps in the
 * backend's samples").
 */
export function carriedRead(gap: { gapStart: Date; start: Date }): { at: Date; range: string; increase: CounterIncrease } {
  const at = gap.start.getTime() + MINUTE_MS;
  const span = at - gap.gapStart.getTime();
  if (span < 2 * MINUTE_MS || span % MINUTE_MS !== 0) throw new RangeError('a gap is whole minutes, and at least one');
  return {
    at: new Date(at),
    range: formatRange(Math.min(span, CARRIED_RANGE_MS)),
    increase: steppedIncrease({ stepSeconds: BUCKET_STEP_SECONDS, hold: formatRange(span + MINUTE_MS) }),
  };
}

/**
 * PullSource.fetchCarried for a Prometheus SLI: the bucket as read, marked, when the hold carried the gap; read
 * again (one instant query per side) when the gap was longer. Advanced SLIs use their own PromQL, whose counting
 * across gaps is theirs: their buckets come back as they are.
 */
export async function fetchCarriedBucket(
  client: PrometheusClient,
  sli: PrometheusSli,
  gap: { gapStart: Date; bucket: MinuteBucket },
  options: { signal?: AbortSignal } = {},
): Promise<MinuteBucket> {
  const { gapStart, bucket } = gap;
  if (sli.kind === 'advanced') return bucket;
  if (carriedByRead({ gapStart, start: bucket.start })) return { ...bucket, carriedFrom: gapStart };
  const read = carriedRead({ gapStart, start: bucket.start });
  const queries = sliQueries(sli, read.range, read.increase);
  const [good, total] = await Promise.all([
    client.query(queries.good, read.at, { signal: options.signal }),
    client.query(queries.total, read.at, { signal: options.signal }),
  ]);
  const totalValue = singleValue(total, 'total');
  if (totalValue === null) return bucket; // nothing to carry after all (the samples went meanwhile)
  return { ...minuteBucket(sli.kind, bucket.start, singleValue(good, 'good'), totalValue), carriedFrom: gapStart };
}

/**
 * The PullSource for Prometheus SLIs, given how to reach a data source by slug. Shaped like
 * PullSource<PrometheusSli>; it can be typed as one once SliSpec's union includes PrometheusSli.
 */
export function createPrometheusSource(clientFor: (datasource: string) => PrometheusClient | Promise<PrometheusClient>) {
  return {
    kind: 'prometheus' as const,
    async fetchBuckets(spec: PrometheusSli, range: { from: Date; to: Date }, options: { signal?: AbortSignal } = {}): Promise<MinuteBucket[]> {
      return fetchMinuteBuckets(await clientFor(spec.datasource), spec, range, { signal: options.signal });
    },
    async fetchCarried(spec: PrometheusSli, gap: { gapStart: Date; bucket: MinuteBucket }, options: { signal?: AbortSignal } = {}): Promise<MinuteBucket> {
      return fetchCarriedBucket(await clientFor(spec.datasource), spec, gap, options);
    },
  };
}

/** The single series of a sum() as time (ms) -> value; several series means the query needs a sum(). */
function pointsByTime(series: MatrixSeries[], side: 'good' | 'total'): Map<number, number> {
  if (series.length > 1) {
    throw new PrometheusError('bad_query', `the ${side} query returns ${series.length} series; it must return one (wrap it in sum())`);
  }
  const out = new Map<number, number>();
  for (const [time, value] of series[0]?.values ?? []) out.set(Math.round(time * 1000), value);
  return out;
}

/** The value of a one-series instant answer; null when it has no series (no data). */
function singleValue(data: QueryData, side: 'good' | 'total'): number | null {
  if (data.resultType === 'scalar') return data.result[1];
  if (data.resultType !== 'vector') throw new PrometheusError('bad_query', `the ${side} query must return an instant vector, not a ${data.resultType}`);
  if (data.result.length > 1) {
    throw new PrometheusError('bad_query', `the ${side} query returns ${data.result.length} series; it must return one (wrap it in sum())`);
  }
  return data.result[0]?.value[1] ?? null;
}

function ratio(good: number | null, total: number | null): number | null {
  if (good === null || total === null || total === 0) return null; // 0/0 is no data, not 0% or 100%
  return good / total;
}

/** The good side as a preview shows it: a missing ratio good side is 0 (as in minuteBucket), a latency one no data. */
function previewGood(kind: PrometheusSli['kind'], good: number | null, total: number | null): number | null {
  if (good !== null || total === null) return good;
  return kind === 'latency' ? null : 0;
}

export interface SliPreviewPoint {
  /** End of the hour the point covers. */
  time: Date;
  good: number | null;
  total: number | null;
  sli: number | null;
}

export interface SliPreview {
  at: Date;
  /** Events over the last hour; null when the query has no data. */
  good: number | null;
  total: number | null;
  sliLastHour: number | null;
  sliLastDay: number | null;
  /** 24 hourly points, oldest first, the last ending at `at`. */
  sparkline: SliPreviewPoint[];
}

/**
 * Runs the SLI against the backend as the "new SLO" form's preview does. Prometheus's error text surfaces
 * as a PrometheusError (kind bad_query) for the form to show. NaN, Inf and good > total are returned as they
 * are; a missing good side next to a present total counts as 0 good for a ratio SLI, and is no data (good and
 * SLI null) for a latency SLI whose bucket at the threshold is missing from some of the span.
 */
export async function previewSli(
  client: PrometheusClient,
  sli: PrometheusSli,
  now: Date,
  options: { signal?: AbortSignal; increase?: CounterIncrease } = {},
): Promise<SliPreview> {
  const at = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  const increase = options.increase ?? BUCKET_INCREASE;
  const hour = sliQueries(sli, '1h', increase);
  const day = sliQueries(sli, '1d', increase);
  const signal = options.signal;
  const instant = async (q: SliQueries) => {
    const [good, total] = await Promise.all([client.query(q.good, at, { signal }), client.query(q.total, at, { signal })]);
    return { good: singleValue(good, 'good'), total: singleValue(total, 'total') };
  };
  const sparkStart = new Date(at.getTime() - 23 * HOUR_MS);
  const [lastHour, lastDay, sparkGood, sparkTotal] = await Promise.all([
    instant(hour),
    instant(day),
    client.queryRange(hour.good, sparkStart, at, 3600, { signal }),
    client.queryRange(hour.total, sparkStart, at, 3600, { signal }),
  ]);
  const goodByTime = pointsByTime(sparkGood, 'good');
  const totalByTime = pointsByTime(sparkTotal, 'total');
  const sparkline: SliPreviewPoint[] = [];
  for (let i = 0; i < 24; i++) {
    const time = sparkStart.getTime() + i * HOUR_MS;
    const total = totalByTime.get(time) ?? null;
    const good = previewGood(sli.kind, goodByTime.get(time) ?? null, total);
    sparkline.push({ time: new Date(time), good, total, sli: ratio(good, total) });
  }
  const good = previewGood(sli.kind, lastHour.good, lastHour.total);
  return {
    at,
    good,
    total: lastHour.total,
    sliLastHour: ratio(good, lastHour.total),
    sliLastDay: ratio(previewGood(sli.kind, lastDay.good, lastDay.total), lastDay.total),
    sparkline,
  };
}

/**
 * The `le` boundaries a classic histogram has under these filters over the last `lookback` (default 1d),
 * ascending, +Inf as Infinity; "1" and "1.0" count once. For refusing thresholds that are not a boundary.
 */
export async function listHistogramBoundaries(
  client: PrometheusClient,
  metric: string,
  filters: Record<string, string>,
  options: { now?: Date; lookback?: string; signal?: AbortSignal } = {},
): Promise<number[]> {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metric)) throw new RangeError(`invalid metric name ${JSON.stringify(metric)}`);
  const lookback = options.lookback ?? '1d';
  if (!/^[0-9]+[smhdw]$/.test(lookback)) throw new RangeError(`invalid lookback ${JSON.stringify(lookback)}`);
  const expr = `count by (le) (last_over_time(${metric}_bucket${labelMatchers(filters)}[${lookback}]))`;
  const data = await client.query(expr, options.now ?? new Date(), { signal: options.signal });
  if (data.resultType !== 'vector') throw new PrometheusError('bad_response', `boundaries query answered a ${data.resultType}`);
  const values = new Set<number>();
  for (const sample of data.result) {
    const le = sample.metric.le;
    if (le === undefined) continue;
    const value = le === '+Inf' || le === 'Inf' ? Infinity : Number(le);
    if (!Number.isNaN(value) && le.trim() !== '') values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}
