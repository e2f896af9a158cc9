import {
  allowedErrorMinutes,
  burnRateOf,
  durationToMinutes,
  errorBudget,
  evaluateAlerts,
  floorToMinute,
  sliOf,
  sloWindowRange,
  tierWindows,
  timeToExhaustion,
  wholeHours,
  type Counts,
} from '../slo';
import { db, Prisma } from '../db/client';
import type { EvaluationState } from '../schemas';
import { DataQualityFault, type DataState, type SloStatus } from '../schemas';
import { effectiveTiers, findSloRecord, type SloRecord } from './records';

const MINUTE_MS = 60_000;
/** Buckets whose counts are numbers the maths can use; the others are shown as faults. */
const FINITE = Prisma.sql`b.good <> 'NaN'::float8 AND b.total <> 'NaN'::float8 AND abs(b.good) < 'Infinity'::float8 AND abs(b.total) < 'Infinity'::float8`;
/** The same, on sli_buckets unaliased (shared with the deploy ledger). */
export const FINITE_BARE = Prisma.sql`good <> 'NaN'::float8 AND total <> 'NaN'::float8 AND abs(good) < 'Infinity'::float8 AND abs(total) < 'Infinity'::float8`;
/** The burn rate "time to exhaustion" extrapolates: the last hour's. */
const CURRENT_BURN_WINDOW = '1h';

interface WindowSums {
  events: Counts;
  /** Minute buckets present in the window (any counts, faulty ones included). */
  buckets: number;
  /** Timeslice SLOs: good slices and slices with data. */
  slices?: Counts;
}

/**
 * Sums of good and total over several windows that all end at `asOf`, in one query. Each window is
 * [start, asOf); keys name them.
 */
async function sumWindows(slo: SloRecord, windows: Map<string, Date>, asOf: Date): Promise<Map<string, WindowSums>> {
  const keys = [...windows.keys()];
  const starts = keys.map((key) => windows.get(key)!.toISOString());
  // Whole hours come from sli_bucket_hours (kept by triggers), the minutes before the first and after the last
  // whole hour from sli_buckets. NaN and infinite buckets are data-quality faults; summing them would blank every
  // window, so both tables leave them out of good and total (and count them in buckets).
  const edges = keys.map((key) => wholeHours(windows.get(key)!, asOf));
  const hoursFrom = edges.map((e) => e.from.toISOString());
  const hoursTo = edges.map((e) => e.to.toISOString());
  const events = await db().$queryRaw<Array<{ key: string; good: number; total: number; buckets: number }>>`
    SELECT w.key,
           (coalesce(h.good, 0) + coalesce(m.good, 0))::float8 AS good,
           (coalesce(h.total, 0) + coalesce(m.total, 0))::float8 AS total,
           (coalesce(h.buckets, 0) + coalesce(m.buckets, 0))::float8 AS buckets
    FROM unnest(${keys}::text[], ${starts}::timestamptz[], ${hoursFrom}::timestamptz[], ${hoursTo}::timestamptz[]) AS w(key, start, hours_from, hours_to)
    LEFT JOIN LATERAL (
      SELECT sum(good) AS good, sum(total) AS total, sum(buckets) AS buckets FROM sli_bucket_hours
      WHERE slo_id = ${slo.id}::uuid AND hour >= w.hours_from AND hour < w.hours_to
    ) h ON true
    LEFT JOIN LATERAL (
      SELECT sum(b.good) FILTER (WHERE ${FINITE}) AS good, sum(b.total) FILTER (WHERE ${FINITE}) AS total, count(*) AS buckets
      FROM sli_buckets b
      WHERE b.slo_id = ${slo.id}::uuid
        AND ((b.start >= w.start AND b.start < w.hours_from) OR (b.start >= w.hours_to AND b.start < ${asOf.toISOString()}::timestamptz))
    ) m ON true`;
  const result = new Map<string, WindowSums>(
    events.map((row) => [row.key, { events: { good: row.good, total: row.total }, buckets: row.buckets }]),
  );
  if (slo.budgeting.method === 'timeslices') {
    const { sliceMinutes, threshold } = slo.budgeting;
    const earliest = starts.reduce((a, b) => (a < b ? a : b));
    // A slice is good when its own SLI meets the threshold; slices without events count neither way.
    const slices = await db().$queryRaw<Array<{ key: string; good: number; total: number }>>`
      WITH slices AS (
        SELECT date_bin(make_interval(mins => ${sliceMinutes}::int), start, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS s,
               sum(good) AS g, sum(total) AS t
        FROM sli_buckets
        WHERE slo_id = ${slo.id}::uuid AND start >= ${earliest}::timestamptz AND start < ${asOf.toISOString()}::timestamptz
          AND ${FINITE_BARE}
        GROUP BY 1
      )
      SELECT w.key,
             (count(*) FILTER (WHERE sl.t > 0 AND sl.g / sl.t >= ${threshold}::float8))::float8 AS good,
             (count(*) FILTER (WHERE sl.t > 0))::float8 AS total
      FROM unnest(${keys}::text[], ${starts}::timestamptz[]) AS w(key, start)
      LEFT JOIN slices sl ON sl.s >= w.start AND sl.s < ${asOf.toISOString()}::timestamptz
      GROUP BY w.key`;
    for (const row of slices) {
      const entry = result.get(row.key);
      if (entry) entry.slices = { good: row.good, total: row.total };
    }
  }
  return result;
}

/** The SLO's status at the end of the last whole minute before `now`. */
export async function computeSloStatus(slo: SloRecord, now = new Date(), extraBurnWindows: readonly string[] = []): Promise<SloStatus> {
  const asOf = floorToMinute(now);
  const range = sloWindowRange(slo.window, asOf);
  const tiers = effectiveTiers(slo, asOf);
  const burnWindows = [...new Set([...tierWindows(tiers), CURRENT_BURN_WINDOW, ...extraBurnWindows])];

  const windows = new Map<string, Date>([['window', range.from]]);
  for (const w of burnWindows) windows.set(w, new Date(asOf.getTime() - durationToMinutes(w) * MINUTE_MS));
  const [sums, oldest, evaluationRow] = await Promise.all([
    sumWindows(slo, windows, asOf),
    db().sliBucket.findFirst({ where: { sloId: slo.id }, orderBy: { start: 'asc' }, select: { start: true } }),
    db().sloEvaluation.findUnique({ where: { sloId: slo.id } }),
  ]);
  const evaluation = toEvaluationState(evaluationRow);

  // Timeslice SLOs budget in slices; occurrence SLOs in events.
  const budgetCounts = (key: string): Counts => {
    const entry = sums.get(key);
    return (slo.budgeting.method === 'timeslices' ? entry?.slices : entry?.events) ?? { good: 0, total: 0 };
  };
  const windowEvents = sums.get('window')?.events ?? { good: 0, total: 0 };
  const windowCounts = budgetCounts('window');
  const sli = sliOf(windowCounts);
  const budget = errorBudget(sli, slo.objective);
  const burnRates: Record<string, number | null> = {};
  for (const w of burnWindows) burnRates[w] = burnRateOf(budgetCounts(w), slo.objective);

  const dataSince = oldest?.start ?? null;
  const windowMinutes = Math.max(1, (asOf.getTime() - range.from.getTime()) / MINUTE_MS);
  const coverage = Math.min(1, (sums.get('window')?.buckets ?? 0) / windowMinutes);
  // Partial: data starts inside the window, or history is still being filled back to its start.
  const backfilling = evaluationRow?.completeFrom != null && evaluationRow.completeFrom > range.from;
  let dataState: DataState = 'ok';
  if (sli === null) dataState = backfilling ? 'partial' : 'no_data';
  else if (!dataSince || dataSince > range.from || backfilling) dataState = 'partial';

  return {
    service: slo.serviceSlug,
    slo: slo.slug,
    source: slo.sli.source,
    objective: slo.objective,
    window: {
      kind: slo.window.kind,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      periodEnd: range.periodEnd.toISOString(),
      periodMinutes: range.periodMinutes,
      ...(slo.window.kind === 'rolling'
        ? { days: slo.window.days }
        : { unit: slo.window.unit, timeZone: slo.window.timeZone }),
    },
    budgeting: slo.budgeting.method,
    sli,
    good: windowEvents.good,
    total: windowEvents.total,
    ...(slo.budgeting.method === 'timeslices' ? { slices: windowCounts } : {}),
    errorBudget: { ...budget, allowedMinutes: allowedErrorMinutes(slo.objective, range.periodMinutes) },
    burnRates,
    alerts: evaluateAlerts(tiers, burnRates),
    timeToExhaustion: timeToExhaustion(budget.remaining, burnRates[CURRENT_BURN_WINDOW] ?? null, range.periodMinutes),
    dataState,
    dataSince: dataSince?.toISOString() ?? null,
    coverage,
    evaluation,
    asOf: asOf.toISOString(),
  };
}

type EvaluationRow = Awaited<ReturnType<ReturnType<typeof db>['sloEvaluation']['findUnique']>>;

const FAULTS_SHOWN = 50;

export function toEvaluationState(row: EvaluationRow): EvaluationState {
  const faults = DataQualityFault.array().catch([]).parse(row?.dataQuality ?? []);
  const backfill =
    row?.historyFrom && row.completeFrom && row.freshUntil
      ? {
          from: row.historyFrom.toISOString(),
          completeFrom: row.completeFrom.toISOString(),
          to: row.freshUntil.toISOString(),
          progress: Math.min(
            1,
            Math.max(0, (row.freshUntil.getTime() - row.completeFrom.getTime()) / Math.max(1, row.freshUntil.getTime() - row.historyFrom.getTime())),
          ),
        }
      : null;
  return {
    lastSuccessAt: row?.lastSuccessAt?.toISOString() ?? null,
    staleSince: row?.staleSince?.toISOString() ?? null,
    lastError:
      row?.lastError && row.lastAttemptAt ? { kind: row.lastErrorKind ?? 'error', message: row.lastError, at: row.lastAttemptAt.toISOString() } : null,
    backfill,
    dataQuality: { faultCount: faults.length, faults: faults.slice(0, FAULTS_SHOWN) },
  };
}

export async function getSloStatus({ service, slo }: { service: string; slo: string }): Promise<SloStatus> {
  return computeSloStatus(await findSloRecord(service, slo));
}
