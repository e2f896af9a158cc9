import {
  BucketIndex,
  buildSeries,
  durationToMinutes,
  gcdMinutes,
  readAsOf,
  seriesPoints,
  TimesliceIndex,
  tierWindows,
  windowStartAt,
} from '../slo';
import { binnedBuckets } from '../db/buckets';
import { db } from '../db/client';
import type { SeriesQuery, SloSeries } from '../schemas';
import { effectiveTiers, findSloRecord, type SloRecord } from './records';

const MINUTE_MS = 60_000;
/** Calendar periods start at local midnight; every zone's offset today is a multiple of 15 minutes. */
const CALENDAR_ALIGNMENT_MINUTES = 15;

/**
 * The SLO's history as chart points, each computed exactly as the status would be as of that point (the same
 * windows, the same timeslice rule), from buckets re-binned at the coarsest step that lands on every edge.
 * Points stop at the newest minute read, as the status does.
 */
export async function computeSloSeries(slo: SloRecord, query: SeriesQuery, now = new Date()): Promise<SloSeries> {
  const evaluation = await db().sloEvaluation.findUnique({ where: { sloId: slo.id }, select: { freshUntil: true } });
  const asOf = readAsOf({ pushed: slo.sli.source === 'otel', freshUntil: evaluation?.freshUntil ?? null, now }).asOf.getTime();
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
  if (first === undefined || last === undefined) return { ...base, points: [] };

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
  if (slo.budgeting.method === 'timeslices') earliest = Math.floor(earliest / (slo.budgeting.sliceMinutes * MINUTE_MS)) * slo.budgeting.sliceMinutes * MINUTE_MS;
  const rangeFrom = Math.floor(earliest / granularityMs) * granularityMs;
  const rangeTo = Math.ceil(last / granularityMs) * granularityMs;

  const buckets = await binnedBuckets(slo.id, granularity, new Date(rangeFrom), new Date(rangeTo));
  const index = new BucketIndex(buckets, granularityMs, rangeFrom, rangeTo);
  const sum = (a: number, b: number) => index.sum(a, b);
  let counts = sum;
  if (slo.budgeting.method === 'timeslices') {
    const slices = new TimesliceIndex({ sum, sliceMs: slo.budgeting.sliceMinutes * MINUTE_MS, threshold: slo.budgeting.threshold, from: rangeFrom, to: rangeTo });
    counts = (a, b) => slices.counts(a, b);
  }
  const series = buildSeries({ counts, points, stepMs, objective: slo.objective, windowStart, burnWindowsMs });
  return { ...base, points: series.map((point) => ({ ...point, t: new Date(point.t).toISOString() })) };
}

export async function getSloSeries({ service, slo, query }: { service: string; slo: string; query: SeriesQuery }): Promise<SloSeries> {
  return computeSloSeries(await findSloRecord(service, slo), query);
}
