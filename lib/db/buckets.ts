import type { Bucket, Counts, SourceFault } from '../slo';
import { wholeHours } from '../slo/window';
import type { MinuteBucket } from '../sources/types';
import { db, Prisma } from './client';
import type { Tx } from './transaction';

// An SLO's minute buckets, read for its figures. Every read leaves out the minutes sli_bucket_fault() names (the
// same rule as lib/slo bucketFault): impossible counts and source faults are listed, never summed.

/** The rule on sli_buckets aliased `b`. */
const USABLE = Prisma.sql`sli_bucket_fault(b.good, b.total, b.source_fault) IS NULL`;

const iso = (d: Date) => d.toISOString();

/**
 * What a span of minutes holds: usable events and minutes, faulty minutes, minutes holding a carried gap. good is
 * total minus the bad events summed minute by minute, which keeps a budget exact (summing good and subtracting loses
 * the few bad events to rounding).
 */
export interface SpanSums extends Counts {
  minutes: number;
  faults: number;
  carried: number;
}

/**
 * Sums over several spans [from, to) of one SLO in one statement. Whole UTC hours come from sli_bucket_hours
 * (kept by triggers), the minutes before the first and after the last whole hour from sli_buckets.
 */
export async function sumSpans(sloId: string, spans: ReadonlyArray<{ key: string; from: Date; to: Date }>): Promise<Map<string, SpanSums>> {
  if (spans.length === 0) return new Map();
  const edges = spans.map((s) => wholeHours(s.from, s.to));
  const rows = await db().$queryRaw<Array<{ key: string; total: number; bad: number; minutes: number; faults: number; carried: number }>>`
    SELECT w.key,
           (coalesce(h.total, 0) + coalesce(m.total, 0))::float8 AS total,
           (coalesce(h.bad, 0) + coalesce(m.bad, 0))::float8 AS bad,
           (coalesce(h.buckets, 0) + coalesce(m.minutes, 0))::float8 AS minutes,
           (coalesce(h.faults, 0) + coalesce(m.faults, 0))::float8 AS faults,
           (coalesce(h.carried, 0) + coalesce(m.carried, 0))::float8 AS carried
    FROM unnest(
      ${spans.map((s) => s.key)}::text[], ${spans.map((s) => iso(s.from))}::timestamptz[], ${spans.map((s) => iso(s.to))}::timestamptz[],
      ${edges.map((e) => iso(e.from))}::timestamptz[], ${edges.map((e) => iso(e.to))}::timestamptz[]
    ) AS w(key, start, stop, hours_from, hours_to)
    LEFT JOIN LATERAL (
      SELECT sum(total) AS total, sum(bad) AS bad, sum(buckets) AS buckets, sum(faults) AS faults, sum(carried) AS carried
      FROM sli_bucket_hours
      WHERE slo_id = ${sloId}::uuid AND hour >= w.hours_from AND hour < w.hours_to
    ) h ON true
    LEFT JOIN LATERAL (
      SELECT sum(b.total) FILTER (WHERE ${USABLE}) AS total, sum(b.total - b.good) FILTER (WHERE ${USABLE}) AS bad,
             count(*) FILTER (WHERE ${USABLE}) AS minutes, count(*) FILTER (WHERE NOT ${USABLE}) AS faults,
             count(*) FILTER (WHERE b.carried_from IS NOT NULL) AS carried
      FROM sli_buckets b
      WHERE b.slo_id = ${sloId}::uuid
        AND ((b.start >= w.start AND b.start < w.hours_from) OR (b.start >= w.hours_to AND b.start < w.stop))
    ) m ON true`;
  return new Map(rows.map(({ key, total, bad, ...rest }) => [key, { good: total - bad, total, ...rest }]));
}

/**
 * sumSpans for many SLOs in one statement: SLO id -> span key -> sums. The evaluator's state step sums every SLO's
 * window and burn windows this way, a chunk of SLOs per statement instead of one statement per SLO. Inside a
 * transaction pass its client: the embedded database serves no other connection until the transaction ends.
 */
export async function sumSpansMany(
  entries: ReadonlyArray<{ sloId: string; spans: ReadonlyArray<{ key: string; from: Date; to: Date }> }>,
  client: Tx = db(),
): Promise<Map<string, Map<string, SpanSums>>> {
  const flat = entries.flatMap((e) => e.spans.map((s) => ({ sloId: e.sloId, ...s, edges: wholeHours(s.from, s.to) })));
  const out = new Map<string, Map<string, SpanSums>>(entries.map((e) => [e.sloId, new Map()]));
  if (flat.length === 0) return out;
  const rows = await client.$queryRaw<Array<{ slo_id: string; key: string; total: number; bad: number; minutes: number; faults: number; carried: number }>>`
    SELECT w.slo_id, w.key,
           (coalesce(h.total, 0) + coalesce(m.total, 0))::float8 AS total,
           (coalesce(h.bad, 0) + coalesce(m.bad, 0))::float8 AS bad,
           (coalesce(h.buckets, 0) + coalesce(m.minutes, 0))::float8 AS minutes,
           (coalesce(h.faults, 0) + coalesce(m.faults, 0))::float8 AS faults,
           (coalesce(h.carried, 0) + coalesce(m.carried, 0))::float8 AS carried
    FROM unnest(
      ${flat.map((s) => s.sloId)}::uuid[], ${flat.map((s) => s.key)}::text[], ${flat.map((s) => iso(s.from))}::timestamptz[],
      ${flat.map((s) => iso(s.to))}::timestamptz[], ${flat.map((s) => iso(s.edges.from))}::timestamptz[], ${flat.map((s) => iso(s.edges.to))}::timestamptz[]
    ) AS w(slo_id, key, start, stop, hours_from, hours_to)
    LEFT JOIN LATERAL (
      SELECT sum(total) AS total, sum(bad) AS bad, sum(buckets) AS buckets, sum(faults) AS faults, sum(carried) AS carried
      FROM sli_bucket_hours
      WHERE slo_id = w.slo_id AND hour >= w.hours_from AND hour < w.hours_to
    ) h ON true
    LEFT JOIN LATERAL (
      SELECT sum(b.total) FILTER (WHERE ${USABLE}) AS total, sum(b.total - b.good) FILTER (WHERE ${USABLE}) AS bad,
             count(*) FILTER (WHERE ${USABLE}) AS minutes, count(*) FILTER (WHERE NOT ${USABLE}) AS faults,
             count(*) FILTER (WHERE b.carried_from IS NOT NULL) AS carried
      FROM sli_buckets b
      WHERE b.slo_id = w.slo_id
        AND ((b.start >= w.start AND b.start < w.hours_from) OR (b.start >= w.hours_to AND b.start < w.stop))
    ) m ON true`;
  for (const { slo_id, key, total, bad, ...rest } of rows) out.get(slo_id)?.set(key, { good: total - bad, total, ...rest });
  return out;
}

/** oldestBucket for many SLOs in one statement (an index probe each): SLO id -> start, for those with any. */
export async function oldestBuckets(sloIds: readonly string[]): Promise<Map<string, Date>> {
  if (sloIds.length === 0) return new Map();
  const rows = await db().$queryRaw<Array<{ id: string; start: Date | null }>>`
    SELECT id, (SELECT b.start FROM sli_buckets b WHERE b.slo_id = id ORDER BY b.start LIMIT 1) AS start
    FROM unnest(${[...sloIds]}::uuid[]) AS id`;
  return new Map(rows.filter((r) => r.start !== null).map((r) => [r.id, r.start!]));
}

/**
 * Timeslice budgeting over spans that all end at `to`, in slices (lib/slo TimesliceIndex is the same maths for
 * charts): every slice overlapping a span counts with the share of it inside the span, good when its own SLI meets
 * `threshold`; the slice running at `to` is judged on its minutes before `to`. Slices without events count neither
 * way. Slices are aligned to the Unix epoch.
 */
export async function sliceSums(
  sloId: string,
  budgeting: { sliceMinutes: number; threshold: number },
  spans: ReadonlyArray<{ key: string; from: Date }>,
  to: Date,
): Promise<Map<string, Counts>> {
  if (spans.length === 0) return new Map();
  const sliceMs = budgeting.sliceMinutes * 60_000;
  const earliest = Math.min(...spans.map((s) => s.from.getTime()));
  const firstSlice = new Date(Math.floor(earliest / sliceMs) * sliceMs);
  const rows = await db().$queryRaw<Array<{ key: string; good: number; total: number }>>`
    WITH slices AS (
      SELECT date_bin(make_interval(mins => ${budgeting.sliceMinutes}::int), b.start, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS s,
             sum(b.good) AS g, sum(b.total) AS t
      FROM sli_buckets b
      WHERE b.slo_id = ${sloId}::uuid AND b.start >= ${iso(firstSlice)}::timestamptz AND b.start < ${iso(to)}::timestamptz AND ${USABLE}
      GROUP BY 1
    ), weighted AS (
      SELECT w.key, sl.g, sl.t,
             extract(epoch FROM least(sl.s + make_interval(mins => ${budgeting.sliceMinutes}::int), ${iso(to)}::timestamptz) - greatest(sl.s, w.start))
               / ${sliceMs / 1000}::float8 AS share
      FROM unnest(${spans.map((s) => s.key)}::text[], ${spans.map((s) => iso(s.from))}::timestamptz[]) AS w(key, start)
      JOIN slices sl ON sl.s + make_interval(mins => ${budgeting.sliceMinutes}::int) > w.start
    )
    SELECT w.key,
           coalesce(sum(x.share) FILTER (WHERE x.t > 0 AND x.g / x.t >= ${budgeting.threshold}::float8), 0)::float8 AS good,
           coalesce(sum(x.share) FILTER (WHERE x.t > 0), 0)::float8 AS total
    FROM unnest(${spans.map((s) => s.key)}::text[]) AS w(key)
    LEFT JOIN weighted x ON x.key = w.key
    GROUP BY w.key`;
  return new Map(rows.map((r) => [r.key, { good: r.good, total: r.total }]));
}

/**
 * sliceSums for many SLOs, each with its own slices, over one span [from, to) each, in one statement: SLO id -> span
 * key -> slices. The same maths: every slice overlapping the span counts with the share of it inside, judged on its
 * own minutes before `to`. Inside a transaction pass its client, as to sumSpansMany.
 */
export async function sliceSumsMany(
  entries: ReadonlyArray<{
    sloId: string;
    budgeting: { sliceMinutes: number; threshold: number };
    spans: ReadonlyArray<{ key: string; from: Date; to: Date }>;
  }>,
  client: Tx = db(),
): Promise<Map<string, Map<string, Counts>>> {
  const flat = entries.flatMap((e) => e.spans.map((s) => ({ sloId: e.sloId, ...e.budgeting, ...s })));
  const out = new Map<string, Map<string, Counts>>(entries.map((e) => [e.sloId, new Map()]));
  if (flat.length === 0) return out;
  const rows = await client.$queryRaw<Array<{ slo_id: string; key: string; good: number; total: number }>>`
    WITH w AS (
      SELECT * FROM unnest(
        ${flat.map((s) => s.sloId)}::uuid[], ${flat.map((s) => s.key)}::text[], ${flat.map((s) => iso(s.from))}::timestamptz[],
        ${flat.map((s) => iso(s.to))}::timestamptz[], ${flat.map((s) => s.sliceMinutes)}::int[], ${flat.map((s) => s.threshold)}::float8[]
      ) AS w(slo_id, key, start, stop, slice_minutes, threshold)
    ), weighted AS (
      SELECT w.slo_id, w.key, w.threshold, sl.g, sl.t,
             extract(epoch FROM least(sl.s + make_interval(mins => w.slice_minutes), w.stop) - greatest(sl.s, w.start))
               / (w.slice_minutes * 60)::float8 AS share
      FROM w
      CROSS JOIN LATERAL (
        SELECT date_bin(make_interval(mins => w.slice_minutes), b.start, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS s,
               sum(b.good) AS g, sum(b.total) AS t
        FROM sli_buckets b
        WHERE b.slo_id = w.slo_id AND ${USABLE} AND b.start < w.stop
          AND b.start >= date_bin(make_interval(mins => w.slice_minutes), w.start, TIMESTAMPTZ '1970-01-01 00:00:00+00')
        GROUP BY 1
      ) sl
    )
    SELECT w.slo_id, w.key,
           coalesce(sum(x.share) FILTER (WHERE x.t > 0 AND x.g / x.t >= x.threshold), 0)::float8 AS good,
           coalesce(sum(x.share) FILTER (WHERE x.t > 0), 0)::float8 AS total
    FROM w
    LEFT JOIN weighted x ON x.slo_id = w.slo_id AND x.key = w.key
    GROUP BY w.slo_id, w.key`;
  for (const { slo_id, key, good, total } of rows) out.get(slo_id)?.set(key, { good, total });
  return out;
}

/** Usable buckets re-binned at `granularity` minutes (aligned to the Unix epoch) over [from, to), oldest first. */
export async function binnedBuckets(sloId: string, granularity: number, from: Date, to: Date): Promise<Bucket[]> {
  const rows = await db().$queryRaw<Array<{ s: Date; good: number; total: number }>>`
    SELECT date_bin(make_interval(mins => ${granularity}::int), b.start, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS s,
           sum(b.good)::float8 AS good, sum(b.total)::float8 AS total
    FROM sli_buckets b
    WHERE b.slo_id = ${sloId}::uuid AND b.start >= ${iso(from)}::timestamptz AND b.start < ${iso(to)}::timestamptz AND ${USABLE}
    GROUP BY 1
    ORDER BY 1`;
  return rows.map((row) => ({ start: new Date(row.s).getTime(), good: row.good, total: row.total }));
}

/** The newest faulty minutes in [from, to), newest first. */
export async function faultyMinutes(
  sloId: string,
  from: Date,
  to: Date,
  limit: number,
): Promise<Array<{ start: Date; good: number; total: number; fault: SourceFault | null }>> {
  const rows = await db().$queryRaw<Array<{ start: Date; good: number; total: number; source_fault: string | null }>>`
    SELECT b.start, b.good, b.total, b.source_fault
    FROM sli_buckets b
    WHERE b.slo_id = ${sloId}::uuid AND b.start >= ${iso(from)}::timestamptz AND b.start < ${iso(to)}::timestamptz AND NOT ${USABLE}
    ORDER BY b.start DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({ start: new Date(r.start), good: r.good, total: r.total, fault: r.source_fault as SourceFault | null }));
}

/**
 * The faulty minutes in [from, to) as runs of one reason ("histogram bucket missing from 14:02 to 19:40, 338
 * minutes"), newest first: every faulty minute of the span, not only those listed one by one.
 */
export async function faultRuns(sloId: string, from: Date, to: Date, limit: number): Promise<Array<{ reason: string; from: Date; to: Date; minutes: number }>> {
  const rows = await db().$queryRaw<Array<{ reason: string; first: Date; last: Date; minutes: number }>>`
    SELECT reason, min(start) AS first, max(start) AS last, count(*)::int AS minutes
    FROM (
      SELECT b.start, sli_bucket_fault(b.good, b.total, b.source_fault) AS reason,
             b.start - make_interval(mins => (row_number() OVER (PARTITION BY sli_bucket_fault(b.good, b.total, b.source_fault) ORDER BY b.start))::int) AS run
      FROM sli_buckets b
      WHERE b.slo_id = ${sloId}::uuid AND b.start >= ${iso(from)}::timestamptz AND b.start < ${iso(to)}::timestamptz AND NOT ${USABLE}
    ) f
    GROUP BY reason, run
    ORDER BY max(start) DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({ reason: r.reason, from: new Date(r.first), to: new Date(new Date(r.last).getTime() + 60_000), minutes: r.minutes }));
}

/** Minutes in [from, to) that hold the events of a gap of at least `minGapMinutes` in the backend's samples, newest first. */
export async function carriedMinutes(
  sloId: string,
  from: Date,
  to: Date,
  options: { limit: number; minGapMinutes: number },
): Promise<Array<{ from: Date; to: Date; good: number; total: number }>> {
  const { limit, minGapMinutes } = options;
  const rows = await db().$queryRaw<Array<{ start: Date; carried_from: Date; good: number; total: number }>>`
    SELECT b.start, b.carried_from, b.good, b.total
    FROM sli_buckets b
    WHERE b.slo_id = ${sloId}::uuid AND b.start >= ${iso(from)}::timestamptz AND b.start < ${iso(to)}::timestamptz AND b.carried_from IS NOT NULL
      AND b.start - b.carried_from >= make_interval(mins => ${minGapMinutes}::int)
    ORDER BY b.start DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({ from: new Date(r.carried_from), to: new Date(r.start), good: r.good, total: r.total }));
}

/** Start of the SLO's oldest bucket, or null when it has none. */
export async function oldestBucket(sloId: string): Promise<Date | null> {
  const row = await db().sliBucket.findFirst({ where: { sloId }, orderBy: { start: 'asc' }, select: { start: true } });
  return row?.start ?? null;
}

/** A stored minute as a source gave it. */
export interface StoredBucket {
  start: Date;
  good: number;
  total: number;
  fault: SourceFault | null;
  carriedFrom: Date | null;
}

/** Start of the SLO's newest bucket in [from, to), or null: the minute with data before a read, to find gaps by. */
export async function newestBucketIn(sloId: string, from: Date, to: Date): Promise<Date | null> {
  const row = await db().sliBucket.findFirst({ where: { sloId, start: { gte: from, lt: to } }, orderBy: { start: 'desc' }, select: { start: true } });
  return row?.start ?? null;
}

/** The SLO's oldest bucket in [from, to), or null: the minute with data after a read, to find gaps by. */
export async function oldestBucketIn(sloId: string, from: Date, to: Date): Promise<StoredBucket | null> {
  const row = await db().sliBucket.findFirst({
    where: { sloId, start: { gte: from, lt: to } },
    orderBy: { start: 'asc' },
    select: { start: true, good: true, total: true, sourceFault: true, carriedFrom: true },
  });
  return row && { start: row.start, good: row.good, total: row.total, fault: row.sourceFault as SourceFault | null, carriedFrom: row.carriedFrom };
}

/** newestBucketIn for many SLOs in one statement: SLO id -> start, for those that have one. */
export async function newestBucketsIn(spans: ReadonlyArray<{ sloId: string; from: Date; to: Date }>): Promise<Map<string, Date>> {
  if (spans.length === 0) return new Map();
  const rows = await db().$queryRaw<Array<{ slo_id: string; start: Date }>>`
    SELECT u.id::text AS slo_id, b.start
    FROM unnest(${spans.map((s) => s.sloId)}::uuid[], ${spans.map((s) => iso(s.from))}::timestamptz[], ${spans.map((s) => iso(s.to))}::timestamptz[]) AS u(id, f, t)
    CROSS JOIN LATERAL (
      SELECT start FROM sli_buckets WHERE slo_id = u.id AND start >= u.f AND start < u.t ORDER BY start DESC LIMIT 1
    ) b`;
  return new Map(rows.map((r) => [r.slo_id, new Date(r.start)]));
}

/** Rows per INSERT of one SLO's buckets; keeps each statement's parameters small. */
const WRITE_BATCH = 20_000;
/** Rows per INSERT of many SLOs' buckets. */
const WRITE_MANY_BATCH = 50_000;

/**
 * Idempotent upsert of minute buckets: writing the same minute twice replaces it (its source fault and carried gap
 * too), never adds to it.
 * Timestamps go as ISO text so the driver cannot shift them by a local time zone; NaN and infinities are
 * stored as they came (PostgreSQL doubles hold them) so data-quality faults stay visible.
 */
export async function writeBuckets(sloId: string, buckets: readonly MinuteBucket[]): Promise<number> {
  for (let i = 0; i < buckets.length; i += WRITE_BATCH) {
    const batch = buckets.slice(i, i + WRITE_BATCH);
    const starts = batch.map((b) => b.start.toISOString());
    const goods = batch.map((b) => String(b.good));
    const totals = batch.map((b) => String(b.total));
    const faults = batch.map((b) => b.fault ?? null);
    const carried = batch.map((b) => b.carriedFrom?.toISOString() ?? null);
    await db().$executeRaw`
      INSERT INTO sli_buckets (slo_id, start, good, total, source_fault, carried_from)
      SELECT ${sloId}::uuid, u.s, u.g, u.t, u.f, u.c
      FROM unnest(${starts}::timestamptz[], ${goods}::float8[], ${totals}::float8[], ${faults}::text[], ${carried}::timestamptz[]) AS u(s, g, t, f, c)
      ON CONFLICT (slo_id, start) DO UPDATE
        SET good = EXCLUDED.good, total = EXCLUDED.total, source_fault = EXCLUDED.source_fault, carried_from = EXCLUDED.carried_from`;
  }
  return buckets.length;
}

/** Idempotent upsert of many SLOs' buckets in few statements; each (SLO, minute) at most once per call. */
export async function writeManyBuckets(entries: ReadonlyArray<{ sloId: string; buckets: readonly MinuteBucket[] }>): Promise<number> {
  let ids: string[] = [];
  let starts: string[] = [];
  let goods: string[] = [];
  let totals: string[] = [];
  let faults: Array<string | null> = [];
  let carried: Array<string | null> = [];
  let written = 0;
  const flush = async () => {
    if (ids.length === 0) return;
    await db().$executeRaw`
      INSERT INTO sli_buckets (slo_id, start, good, total, source_fault, carried_from)
      SELECT u.i, u.s, u.g, u.t, u.f, u.c
      FROM unnest(${ids}::uuid[], ${starts}::timestamptz[], ${goods}::float8[], ${totals}::float8[], ${faults}::text[], ${carried}::timestamptz[]) AS u(i, s, g, t, f, c)
      ON CONFLICT (slo_id, start) DO UPDATE
        SET good = EXCLUDED.good, total = EXCLUDED.total, source_fault = EXCLUDED.source_fault, carried_from = EXCLUDED.carried_from`;
    written += ids.length;
    ids = [];
    starts = [];
    goods = [];
    totals = [];
    faults = [];
    carried = [];
  };
  for (const { sloId, buckets } of entries) {
    for (const b of buckets) {
      ids.push(sloId);
      starts.push(b.start.toISOString());
      // NaN and infinities are stored as they came (PostgreSQL doubles hold them), to show as faults.
      goods.push(String(b.good));
      totals.push(String(b.total));
      faults.push(b.fault ?? null);
      carried.push(b.carriedFrom?.toISOString() ?? null);
      if (ids.length >= WRITE_MANY_BATCH) await flush();
    }
  }
  await flush();
  return written;
}
