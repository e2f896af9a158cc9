import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { bucketFault } from '../../slo/index';
import { writeBuckets } from '../../db/buckets';
import {
  acquireLease,
  deleteSloHistory,
  evaluationExists,
  LEASE_MS,
  updateEvaluation,
  type EvaluationChanges,
  type EvaluationState,
  type Lease,
} from '../../db/slo-evaluations';
import { log } from '../../log';
import { sourceFor, type SourceDeps } from '../../sources/registry';
import { PrometheusError } from '../../sources/prometheus/client';
import type { MinuteBucket } from '../../sources/types';
import type { SloRecord } from '../../db/slos';
import { sourceDeps } from './source-deps';
import { carryGaps, type Neighbours } from './carry-gaps';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far back history is filled: the longest window an SLO can have. */
export const HISTORY_DAYS = 90;
/** Days of history one pass fills per SLO unless its source says otherwise (PullSource.backfillDaysPerPass). */
export const BACKFILL_DAYS_PER_PASS = 7;
/** Recent minutes are read again each pass: samples can arrive late (remote write, slow scrapes). */
const RECHECK_MINUTES = 5;
const CHUNK_MS = DAY_MS;

/** This process, as it names itself in leases. */
export const EVALUATOR_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export interface EvaluateOptions {
  now?: Date;
  owner?: string;
  /**
   * Days of history to fill backwards in this pass; the rest waits for the next, so no SLO hogs a pass. Default:
   * the source's backfillDaysPerPass, else BACKFILL_DAYS_PER_PASS.
   */
  backfillDays?: number;
  /**
   * A deadline (Date.now() ms) for the days beyond the first BACKFILL_DAYS_PER_PASS: a pass holding many SLOs
   * whose source fills fast stops extending their history by then, and the next pass goes on.
   */
  backfillBy?: number;
  /** How sources reach data sources; the evaluator's pass passes its own (cached, counting requests). */
  deps?: SourceDeps;
}

export type EvaluationOutcome =
  /** leased: another process holds it; gone: deleted, or its history reset for a new SLI, while this pass read it. */
  | { status: 'skipped'; reason: 'leased' | 'gone' }
  | { status: 'ok'; written: number; faults: number; complete: boolean }
  | { status: 'failed'; kind: string; message: string };

export function errorKind(error: unknown): { kind: string; message: string } {
  if (error instanceof PrometheusError) return { kind: error.kind, message: error.message };
  if (error instanceof Error) return { kind: error.name === 'NotFoundError' ? 'datasource_missing' : 'error', message: error.message };
  return { kind: 'error', message: String(error) };
}

/** The current minute (the end of every read this pass) for `now`. */
export function passEnd(now: Date): Date {
  return new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
}

/** The state from a lease row; a first evaluation has no history yet (complete and fresh up to `to`). */
export function evaluationState(lease: Lease, to: Date): EvaluationState {
  return {
    historyFrom: lease.history_from ?? new Date(to.getTime() - HISTORY_DAYS * DAY_MS),
    completeFrom: lease.complete_from ?? to,
    freshUntil: lease.fresh_until ?? to,
    rereadUntil: lease.reread_until,
    staleSince: lease.stale_since,
  };
}

/** The minutes read to catch up: from the newest complete minute, less a recheck margin, to `to`. */
export function catchUpFrom(state: EvaluationState): Date {
  return new Date(Math.max(state.completeFrom.getTime(), state.freshUntil.getTime() - RECHECK_MINUTES * MINUTE_MS));
}

/** The state after reading up to `to` successfully: fresh up to `to`. */
export function caughtUp(state: EvaluationState, to: Date): EvaluationState {
  return { ...state, freshUntil: to, completeFrom: state.completeFrom > to ? to : state.completeFrom };
}

/** History still to be read: back to historyFrom first, then a re-read asked for, newest first. */
export function historyPending(state: Pick<EvaluationState, 'historyFrom' | 'completeFrom' | 'rereadUntil'>): boolean {
  return state.completeFrom > state.historyFrom || (state.rereadUntil !== null && state.rereadUntil > state.historyFrom);
}

/** Whether a pass may fill the history's day number `day` (0 first) at `now`: the first 7 always, more until `backfillBy`. */
export function dayInTime(day: number, backfillBy: number | undefined, now: number): boolean {
  return day < BACKFILL_DAYS_PER_PASS || backfillBy === undefined || now < backfillBy;
}

/** Faulty minutes among freshly read buckets, for the evaluator's outcome (the status lists them from the buckets). */
function faultCount(buckets: readonly MinuteBucket[]): number {
  return buckets.reduce((n, b) => n + (bucketFault(b.good, b.total, b.fault ?? null) ? 1 : 0), 0);
}

/**
 * One evaluation pass for one SLO, under its lease:
 * 1. catch up from the newest complete minute (less a recheck margin) to now, which also fills any gap left
 *    while the source was down; on failure the SLO is "stale since" the last complete minute;
 * 2. fill history backwards, newest first, so dashboards show recent windows before old ones.
 * Buckets are upserted, so a minute read twice (here or by another process) is never counted twice.
 */
export async function evaluateSlo(slo: SloRecord, options: EvaluateOptions = {}): Promise<EvaluationOutcome> {
  const now = options.now ?? new Date();
  const owner = options.owner ?? EVALUATOR_ID;
  const lease = await acquireLease(slo.id, owner, now);
  if (!lease) return { status: 'skipped', reason: 'leased' };
  const to = passEnd(now);
  return evaluateLeased(slo, evaluationState(lease, to), { ...options, now, to, catchUp: true });
}

/**
 * The pass for an SLO whose lease this process holds. With catchUp false, step 1 was done already (by the
 * batched pass, which saved it) and only history is filled; failures are recorded the same way either way.
 */
export async function evaluateLeased(
  slo: SloRecord,
  initial: EvaluationState,
  options: { now: Date; to: Date; catchUp: boolean; backfillDays?: number; backfillBy?: number; deps?: SourceDeps; written?: number },
): Promise<EvaluationOutcome> {
  const { now, to } = options;
  const historyFrom = initial.historyFrom;
  let { completeFrom, freshUntil, rereadUntil } = initial;
  let written = options.written ?? 0;
  let faults = 0;
  const source = sourceFor(slo.sli, options.deps ?? sourceDeps);

  const save = async (extra: EvaluationChanges) => {
    await updateEvaluation(slo.id, { historyFrom, completeFrom, freshUntil, rereadUntil, leaseUntil: new Date(Date.now() + LEASE_MS), ...extra });
  };
  // Chunks forward from `from`; a minute ending a gap in the source's samples carries it (carry-gaps.ts), the gap's
  // start found among the minutes read and stored: before the read going forward, after it going backward.
  const read = async (from: Date, until: Date, neighbours: Neighbours) => {
    for (let start = from.getTime(); start < until.getTime(); start += CHUNK_MS) {
      const range = { from: new Date(start), to: new Date(Math.min(start + CHUNK_MS, until.getTime())) };
      const buckets = await carryGaps(slo.id, slo.sli, source, await source.fetchBuckets(slo.sli, range), range, neighbours);
      written += await writeBuckets(slo.id, buckets);
      faults += faultCount(buckets);
    }
  };

  try {
    if (options.catchUp) {
      // 1. Catch up to now (a first pass has nothing to catch up: completeFrom = freshUntil = to).
      await read(catchUpFrom(initial), to, { since: completeFrom });
      freshUntil = to;
      if (completeFrom > freshUntil) completeFrom = freshUntil;
      await save({ staleSince: null, lastError: null, lastErrorKind: null, lastSuccessAt: now });
    }

    // 2. Fill history backwards, a chunk at a time, recording progress after each; then a re-read asked for, the
    //    same way. A re-read replaces minutes already there (upserts), so the figures stay whole while it runs.
    const budgetDays = options.backfillDays ?? source.backfillDaysPerPass ?? BACKFILL_DAYS_PER_PASS;
    for (let day = 0; day < budgetDays && dayInTime(day, options.backfillBy, Date.now()) && historyPending({ historyFrom, completeFrom, rereadUntil }); day++) {
      if (completeFrom > historyFrom) {
        const from = new Date(Math.max(historyFrom.getTime(), completeFrom.getTime() - CHUNK_MS));
        await read(from, completeFrom, { until: freshUntil });
        completeFrom = from;
      } else if (rereadUntil) {
        const from = new Date(Math.max(historyFrom.getTime(), rereadUntil.getTime() - CHUNK_MS));
        await read(from, rereadUntil, { until: freshUntil });
        rereadUntil = from > historyFrom ? from : null;
      }
      await save({});
    }
    if (rereadUntil && rereadUntil <= historyFrom) rereadUntil = null;
    await updateEvaluation(slo.id, { rereadUntil, leaseOwner: null, leaseUntil: null });
    return { status: 'ok', written, faults, complete: !historyPending({ historyFrom, completeFrom, rereadUntil }) };
  } catch (error) {
    // Its bookkeeping row is gone: the SLO was deleted, or its history reset for a new SLI, while this pass read
    // it (a demo SLO's history takes seconds, in the background). Nothing failed; what was read belongs to nobody,
    // and a pass asked for by the change starts afresh.
    if (!(await evaluationExists(slo.id))) {
      log.info('evaluator.slo_gone', { service: slo.serviceSlug, slo: slo.slug });
      return { status: 'skipped', reason: 'gone' };
    }
    const { kind, message } = errorKind(error);
    // Stale since the last minute known complete; the next successful pass reads from there, filling the gap.
    await updateEvaluation(slo.id, {
      historyFrom,
      completeFrom,
      freshUntil,
      rereadUntil,
      staleSince: initial.staleSince ?? freshUntil,
      lastError: message.slice(0, 2000),
      lastErrorKind: kind,
      leaseOwner: null,
      leaseUntil: null,
    });
    log.warn('evaluator.slo_failed', { service: slo.serviceSlug, slo: slo.slug, source: slo.sli.source, kind, reason: message });
    return { status: 'failed', kind, message };
  }
}

/** Forgets an SLO's history and bookkeeping, for when its SLI changed: the next pass starts afresh. */
export async function resetSloHistory(sloId: string): Promise<void> {
  await deleteSloHistory(sloId);
}
