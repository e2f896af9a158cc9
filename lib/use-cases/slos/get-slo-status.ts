import {
  allowedErrorMinutes,
  burnRateOf,
  dataQualityFaults,
  durationToMinutes,
  errorBudget,
  evaluateAlerts,
  provisionalReason,
  readAsOf,
  sliOf,
  sloWindowRange,
  tierWindows,
  timeToExhaustion,
  type Counts,
} from '../../slo/index';
import { carriedMinutes, faultRuns, faultyMinutes, oldestBucket, oldestBuckets, sliceSums, sumSpans, sumSpansMany, type SpanSums } from '../../db/buckets';
import { findEvaluation } from '../../db/slo-evaluations';
import type { SloEvaluation as EvaluationRow } from '../../db/generated/client';
import type { CarriedGap, DataQuality, EvaluationState } from '../../schemas/index';
import { FaultReason, type DataState, type SloStatus } from '../../schemas/index';
import { effectiveTiers } from './slo-view';
import { findSloRecord, type SloRecord } from '../../db/slos';
import { kindOf } from '../../sources/registry';

const MINUTE_MS = 60_000;
/** The burn rate "time to exhaustion" extrapolates: the last hour's. */
const CURRENT_BURN_WINDOW = '1h';
/** Faulty minutes and carried gaps listed per status. */
const LISTED = 50;
/**
 * Carried gaps listed from this length: shorter ones are a scrape interval of two minutes or more, or a blip the
 * 1-hour hold always carried (docs/slo-math.md, "Gaps in the backend's samples"); they are still counted in full.
 */
const LISTED_GAP_MINUTES = 5;

export interface StatusOptions {
  now?: Date;
  /** Figures as of this minute instead of the newest one read (`?at=`). */
  at?: Date;
  /** Burn-rate windows wanted beyond the tiers' and 1h (a gate policy's burn_rate rules). */
  extraBurnWindows?: readonly string[];
  /** The SLO's evaluation row when the caller has read it already (the overview reads them all at once). */
  evaluation?: EvaluationRow | null;
  /** Sums of statusPlan's spans and the oldest bucket, read for many SLOs at once (computeSloStatuses). */
  prefetched?: { sums: Map<string, SpanSums>; dataSince: Date | null };
}

/** The minute a status is as of, its window, tiers and the spans (window, each burn window) its figures sum. */
function statusPlan(slo: SloRecord, evaluationRow: EvaluationRow | null, options: StatusOptions & { now: Date }) {
  const { asOf, unread } = readAsOf({ pushed: kindOf(slo.sli).pushed, freshUntil: evaluationRow?.freshUntil ?? null, now: options.now, at: options.at });
  const range = sloWindowRange(slo.window, asOf);
  const tiers = effectiveTiers(slo, asOf);
  const burnWindows = [...new Set([...tierWindows(tiers), CURRENT_BURN_WINDOW, ...(options.extraBurnWindows ?? [])])];
  const spans = [
    { key: 'window', from: range.from },
    ...burnWindows.map((w) => ({ key: w, from: new Date(asOf.getTime() - durationToMinutes(w) * MINUTE_MS) })),
  ];
  return { asOf, unread, range, tiers, burnWindows, spans };
}

/** How many statuses computeSloStatuses assembles at once (each may still read its faults or slices). */
const BATCH_CONCURRENCY = 8;

/**
 * Many SLOs' statuses with their sums read in one statement and their oldest buckets in another (what the evaluator
 * keeps after each pass): the same figures as computeSloStatus, SLO by SLO, for a fraction of the statements.
 * A failure is returned for its SLO, never thrown for the lot.
 */
export async function computeSloStatuses(
  items: ReadonlyArray<{ record: SloRecord; evaluation: EvaluationRow | null }>,
  options: { now?: Date } = {},
): Promise<Map<string, SloStatus | Error>> {
  const now = options.now ?? new Date();
  const plans = items.map((item) => ({ item, plan: statusPlan(item.record, item.evaluation, { now }) }));
  const [sums, oldest] = await Promise.all([
    sumSpansMany(plans.map(({ item, plan }) => ({ sloId: item.record.id, spans: plan.spans.map((s) => ({ ...s, to: plan.asOf })) }))),
    oldestBuckets(items.map((i) => i.record.id)),
  ]);
  const out = new Map<string, SloStatus | Error>();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const { record, evaluation } = items[next++]!;
      try {
        const prefetched = { sums: sums.get(record.id) ?? new Map<string, SpanSums>(), dataSince: oldest.get(record.id) ?? null };
        out.set(record.id, await computeSloStatus(record, { now, evaluation, prefetched }));
      } catch (error) {
        out.set(record.id, error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, items.length) }, worker));
  return out;
}

/**
 * The SLO's status as of the newest minute whose data has been read (or `at`): SLI, budget, burn rates and alert
 * tiers over windows ending then, what they rest on (measured minutes and events, provisional or not), and the
 * window's data-quality faults, all from stored buckets.
 */
export async function computeSloStatus(slo: SloRecord, options: StatusOptions = {}): Promise<SloStatus> {
  const now = options.now ?? new Date();
  const evaluationRow = options.evaluation !== undefined ? options.evaluation : await findEvaluation(slo.id);
  const { asOf, unread, range, tiers, burnWindows, spans } = statusPlan(slo, evaluationRow, { ...options, now });
  const prefetched = options.prefetched;
  const [sums, slices, dataSince] = await Promise.all([
    prefetched
      ? prefetched.sums
      : sumSpans(
          slo.id,
          spans.map((s) => ({ ...s, to: asOf })),
        ),
    slo.budgeting.method === 'timeslices' ? sliceSums(slo.id, slo.budgeting, spans, asOf) : Promise.resolve(null),
    prefetched ? prefetched.dataSince : oldestBucket(slo.id),
  ]);
  const empty: SpanSums = { good: 0, total: 0, minutes: 0, faults: 0, carried: 0 };
  const windowSums = sums.get('window') ?? empty;
  // Timeslice SLOs budget in slices; occurrence SLOs in events.
  const budgetCounts = (key: string): Counts => (slices ? slices.get(key) : sums.get(key)) ?? { good: 0, total: 0 };
  const windowCounts = budgetCounts('window');
  const sli = sliOf(windowCounts);
  const budget = errorBudget(sli, slo.objective);
  const burnRates: Record<string, number | null> = {};
  const events: Record<string, number> = {};
  for (const w of burnWindows) {
    burnRates[w] = burnRateOf(budgetCounts(w), slo.objective);
    events[w] = sums.get(w)?.total ?? 0;
  }

  const windowMinutes = Math.max(1, (asOf.getTime() - range.from.getTime()) / MINUTE_MS);
  const measured = { minutes: windowSums.minutes, windowMinutes, events: windowSums.total };
  // Partial: data starts inside the window, or history is still being filled back to its start (pulled sources
  // only: a pushed SLI has no history to read, its data simply starts when its points did).
  const pushed = kindOf(slo.sli).pushed;
  const historyPending = !pushed && evaluationRow?.completeFrom != null && evaluationRow.completeFrom > range.from;
  const dataBeginsInWindow = dataSince !== null && dataSince > range.from;
  let dataState: DataState = 'ok';
  if (sli === null) dataState = historyPending ? 'partial' : 'no_data';
  else if (dataBeginsInWindow || historyPending) dataState = 'partial';
  const provisional = sli === null ? null : provisionalReason({ measured, minEvents: slo.minEvents, dataBeginsInWindow, historyPending });

  const [dataQuality, carriedGaps] = await Promise.all([
    windowFaults(slo.id, range.from, asOf, windowSums.faults),
    windowSums.carried > 0 ? carriedMinutes(slo.id, range.from, asOf, { limit: LISTED, minGapMinutes: LISTED_GAP_MINUTES }) : Promise.resolve([]),
  ]);

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
      ...(slo.window.kind === 'rolling' ? { days: slo.window.days } : { unit: slo.window.unit, timeZone: slo.window.timeZone }),
    },
    budgeting: slo.budgeting.method,
    sli,
    good: windowSums.good,
    total: windowSums.total,
    ...(slo.budgeting.method === 'timeslices' ? { slices: windowCounts } : {}),
    errorBudget: { ...budget, allowedMinutes: allowedErrorMinutes(slo.objective, range.periodMinutes) },
    burnRates,
    alerts: evaluateAlerts(tiers, burnRates, { events, minEvents: slo.minEvents }),
    timeToExhaustion: timeToExhaustion(budget.remaining, burnRates[CURRENT_BURN_WINDOW] ?? null, range.periodMinutes),
    dataState,
    dataSince: dataSince?.toISOString() ?? null,
    coverage: Math.min(1, measured.minutes / windowMinutes),
    measured,
    provisional: provisional !== null,
    provisionalReason: provisional,
    minEvents: slo.minEvents,
    dataQuality,
    carriedGaps: carriedGaps.map((g): CarriedGap => ({ from: g.from.toISOString(), to: g.to.toISOString(), good: g.good, total: g.total })),
    evaluation: toEvaluationState(evaluationRow),
    asOf: asOf.toISOString(),
    unread: unread ? { from: unread.from.toISOString(), to: unread.to.toISOString() } : null,
  };
}

/** The window's faulty minutes: counted from the hourly sums, listed (newest 50) only when there are any. */
async function windowFaults(sloId: string, from: Date, to: Date, count: number): Promise<DataQuality> {
  if (count <= 0) return { faultCount: 0, faults: [], spans: [] };
  const [minutes, runs] = await Promise.all([faultyMinutes(sloId, from, to, LISTED), faultRuns(sloId, from, to, LISTED)]);
  return {
    faultCount: count,
    faults: dataQualityFaults(minutes),
    spans: runs.map((r) => ({ reason: FaultReason.parse(r.reason), from: r.from.toISOString(), to: r.to.toISOString(), minutes: r.minutes })),
  };
}

export function toEvaluationState(row: EvaluationRow | null | undefined): EvaluationState {
  const backfill =
    row?.historyFrom && row.completeFrom && row.freshUntil
      ? {
          from: row.historyFrom.toISOString(),
          completeFrom: row.completeFrom.toISOString(),
          to: row.freshUntil.toISOString(),
          progress: share(row.freshUntil.getTime() - row.completeFrom.getTime(), row.freshUntil.getTime() - row.historyFrom.getTime()),
        }
      : null;
  const reread =
    row?.rereadUntil && row.historyFrom && row.freshUntil
      ? {
          from: row.historyFrom.toISOString(),
          until: row.rereadUntil.toISOString(),
          progress: share(row.freshUntil.getTime() - row.rereadUntil.getTime(), row.freshUntil.getTime() - row.historyFrom.getTime()),
        }
      : null;
  return {
    lastSuccessAt: row?.lastSuccessAt?.toISOString() ?? null,
    staleSince: row?.staleSince?.toISOString() ?? null,
    lastError: row?.lastError && row.lastAttemptAt ? { kind: row.lastErrorKind ?? 'error', message: row.lastError, at: row.lastAttemptAt.toISOString() } : null,
    backfill,
    reread,
  };
}

const share = (done: number, whole: number) => Math.min(1, Math.max(0, done / Math.max(1, whole)));

export async function getSloStatus({ service, slo, at }: { service: string; slo: string; at?: Date }): Promise<SloStatus> {
  return computeSloStatus(await findSloRecord(service, slo), { at });
}
