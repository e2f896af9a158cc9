import {
  buildSeries,
  durationToMinutes,
  floorToMinute,
  gcdMinutes,
  seriesPoints,
  sliceEvents,
  tierWindows,
  windowStartAt,
  type Bucket,
} from '../slo';
import { db } from '../db/client';
import type { SeriesQuery, SloSeries } from '../schemas';
import { effectiveTiers, findSloRecord, type SloRecord } from './records';

const MINUTE_MS = 60_000;
/** Calendar periods start at local midnight; every zone's offset today is a multiple of 15 minutes. */
const CALENDAR_ALIGNMENT_MINUTES = 15;

/**
 * Buckets re-binned at `granularity` minutes (aligned to the Unix epoch) over [from, to), so every window the
 * series needs starts and ends on a bin edge and its sums are exact.
 */
async function binnedBuckets(sloId: string, granularity: number, from: number, to: number): Promise<Bucket[]> {
  const rows = await db().$queryRaw<Array<{ s: Date; good: number; total: number }>>`
    SELECT date_bin(make_interval(mins => ${granularity}::int), start, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS s,
           sum(good)::float8 AS good, sum(total)::float8 AS total
    FROM sli_buckets
    WHERE slo_id = ${sloId}::uuid
      AND start >= ${new Date(from).toISOString()}::timestamptz AND start < ${new Date(to).toISOString()}::timestamptz
      AND good <> 'NaN'::float8 AND total <> 'NaN'::float8 AND abs(good) < 'Infinity'::float8 AND abs(total) < 'Infinity'::float8
    GROUP BY 1
    ORDER BY 1`;
  return rows.map((row) => ({ start: new Date(row.s).getTime(), good: row.good, total: row.total }));
}

export async function computeSloSeries(slo: SloRecord, query: SeriesQuery, now = new Date()): Promise<SloSeries> {
  const asOf = floorToMinute(now).getTime();
  const stepMs = query.step * 1000;
  // Points past the last whole minute would describe minutes that have not happened.
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
  const granularity =
    slo.budgeting.method === 'timeslices'
      ? slo.budgeting.sliceMinutes
      : gcdMinutes(
          query.step / 60,
          ...windows.map(durationToMinutes),
          slo.window.kind === 'rolling' ? slo.window.days * 1440 : CALENDAR_ALIGNMENT_MINUTES,
        );
  const granularityMs = granularity * MINUTE_MS;
  const longestBurn = Math.max(0, ...Object.values(burnWindowsMs));
  const earliest = Math.min(first - stepMs, windowStart(first), first - longestBurn);
  const rangeFrom = Math.floor(earliest / granularityMs) * granularityMs;
  const rangeTo = Math.ceil(last / granularityMs) * granularityMs;

  let buckets = await binnedBuckets(slo.id, granularity, rangeFrom, rangeTo);
  if (slo.budgeting.method === 'timeslices') {
    // Each slice becomes one event, good when it met the threshold: the window maths is then the same.
    const events = sliceEvents(buckets, slo.budgeting.threshold);
    buckets = buckets.map((bucket, i) => ({ start: bucket.start, ...events[i]! }));
  }
  const series = buildSeries({
    buckets,
    granularityMs,
    rangeFrom,
    rangeTo,
    points,
    stepMs,
    objective: slo.objective,
    windowStart,
    burnWindowsMs,
  });
  return { ...base, points: series.map((point) => ({ ...point, t: new Date(point.t).toISOString() })) };
}

export async function getSloSeries({ service, slo, query }: { service: string; slo: string; query: SeriesQuery }): Promise<SloSeries> {
  return computeSloSeries(await findSloRecord(service, slo), query);
}
