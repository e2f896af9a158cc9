import {
  BucketIndex,
  buildSeries,
  burnRateOf,
  durationToMinutes,
  errorBudget,
  sliOf,
  type Counts,
  gcdMinutes,
  readAsOf,
  seriesPoints,
  TimesliceIndex,
  tierWindows,
  windowStartAt,
} from '../../slo/index';
import { binnedBuckets, sliceSums, sumSpans } from '../../db/buckets';
import { findFreshUntil } from '../../db/slo-evaluations';
import type { SeriesPoint, SeriesQuery, SloSeries } from '../../schemas/index';
import { effectiveTiers } from './slo-view';
import { findSloRecord, type SloRecord } from '../../db/slos';
import { kindOf } from '../../sources/registry';

const MINUTE_MS = 60_000;
/** Calendar periods start at local midnight; every zone's offset today is a multiple of 15 minutes. */
const CALENDAR_ALIGNMENT_MINUTES = 15;

/**
 * The SLO's history as chart points, each computed exactly as the status would be as of that point (the same
 * windows, the same timeslice rule), from buckets re-binned at the coarsest step that lands on every edge.
 * Points stop at the newest minute read, as the status does.
 */
export async function computeSloSeries(slo: SloRecord, query: SeriesQuery, now = new Date()): Promise<SloSeries> {
  const freshUntil = await findFreshUntil(slo.id);
  const asOf = readAsOf({ pushed: kindOf(slo.sli).pushed, freshUntil, now }).asOf.getTime();
  const stepMs = query.step * 1000;
  // Points past the newest minute read would describe minutes that have not been read (or have not happened).
  const to = Math.min(query.to.getTime(), asOf);
  const points = seriesPoints(query.from.getTime(), to, stepMs);
  const tiers = effectiveTiers(slo, new Date(asOf));
  const windows = tierWindows(tiers);
  const burnWindowsMs = Object.fromEntries(windows.map((w) => [w, durationToMinutes(w) * MINUTE_MS]));
  const base = {
    service: slo.serviceSlug,
    slo: slo.slug,
    objective: slo.objective,
    from: query.from.toISOString(),
    to: new Date(Math.max(to, query.from.getTime())).toISOString(),
    step: query.step,
    tiers,
  };
  const first = points[0];
  const last = points[points.length - 1];
  // The minutes after the last whole step, up to the newest minute read: a young SLO's only data, and the same
  // figures the status shows now (a point off the step grid, at `to`).
  const tail =
    to > query.from.getTime() && (last === undefined || to > last)
      ? await tailPoint(slo, last ?? Math.max(query.from.getTime(), to - stepMs), to, windows)
      : null;
  if (first === undefined || last === undefined) return { ...base, points: tail ? [tail] : [] };

  const windowStart = (t: number) => windowStartAt(slo.window, new Date(t)).getTime();
  const granularity = gcdMinutes(
    query.step / 60,
    ...windows.map(durationToMinutes),
    slo.window.kind === 'rolling' ? slo.window.days * 1440 : CALENDAR_ALIGNMENT_MINUTES,
    ...(slo.budgeting.method === 'timeslices' ? [slo.budgeting.sliceMinutes] : []),
  );
  const granularityMs = granularity * MINUTE_MS;
  const longestBurn = Math.max(0, ...Object.values(burnWindowsMs));
  let earliest = Math.min(first - stepMs, windowStart(first), first - longestBurn);
  // Timeslices: the first slice a window touches is judged whole, so read from its start.
  if (slo.budgeting.method === 'timeslices')
    earliest = Math.floor(earliest / (slo.budgeting.sliceMinutes * MINUTE_MS)) * slo.budgeting.sliceMinutes * MINUTE_MS;
  const rangeFrom = Math.floor(earliest / granularityMs) * granularityMs;
  const rangeTo = Math.ceil(last / granularityMs) * granularityMs;

  const buckets = await binnedBuckets(slo.id, granularity, new Date(rangeFrom), new Date(rangeTo));
  const index = new BucketIndex(buckets, granularityMs, rangeFrom, rangeTo);
  const sum = (a: number, b: number) => index.sum(a, b);
  let counts = sum;
  if (slo.budgeting.method === 'timeslices') {
    const slices = new TimesliceIndex({
      sum,
      sliceMs: slo.budgeting.sliceMinutes * MINUTE_MS,
      threshold: slo.budgeting.threshold,
      from: rangeFrom,
      to: rangeTo,
    });
    counts = (a, b) => slices.counts(a, b);
  }
  const series = buildSeries({ counts, points, stepMs, objective: slo.objective, windowStart, burnWindowsMs });
  return { ...base, points: [...series.map((point) => ({ ...point, t: new Date(point.t).toISOString() })), ...(tail ? [tail] : [])] };
}

/** The point at `to` describing [from, to), computed as the status is (the same spans, the same rules). */
async function tailPoint(slo: SloRecord, from: number, to: number, windows: string[]): Promise<SeriesPoint> {
  const end = new Date(to);
  const spans = [
    { key: 'step', from: new Date(from) },
    { key: 'window', from: windowStartAt(slo.window, end) },
    ...windows.map((w) => ({ key: w, from: new Date(to - durationToMinutes(w) * MINUTE_MS) })),
  ];
  const [sums, slices] = await Promise.all([
    sumSpans(
      slo.id,
      spans.map((span) => ({ ...span, to: end })),
    ),
    slo.budgeting.method === 'timeslices' ? sliceSums(slo.id, slo.budgeting, spans, end) : Promise.resolve(null),
  ]);
  const counts = (key: string): Counts => (slices ? slices.get(key) : sums.get(key)) ?? { good: 0, total: 0 };
  const step = counts('step');
  const windowSli = sliOf(counts('window'));
  return {
    t: end.toISOString(),
    good: step.good,
    total: step.total,
    sli: sliOf(step),
    windowSli,
    budgetRemaining: errorBudget(windowSli, slo.objective).remaining,
    burnRates: Object.fromEntries(windows.map((w) => [w, burnRateOf(counts(w), slo.objective)])),
  };
}

export async function getSloSeries({ service, slo, query }: { service: string; slo: string; query: SeriesQuery }): Promise<SloSeries> {
  return computeSloSeries(await findSloRecord(service, slo), query);
}
