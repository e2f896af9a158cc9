import { writeManyBuckets } from '../../db/buckets';
import { acquireLeases, LEASE_MS, renewLeases, saveCaughtUp, saveFailed, type EvaluationState } from '../../db/slo-evaluations';
import { log } from '../../log';
import type { SliSpec } from '../../schemas/index';
import type { PrometheusClient } from '../../sources/prometheus/client';
import { countingClient, type RequestCounter } from '../../sources/prometheus/counting-client';
import { kindOf, pushedKinds, type SourceDeps } from '../../sources/registry';
import type { BatchEvaluator, BatchGroup, MinuteBucket } from '../../sources/types';
import {
  caughtUp,
  catchUpFrom,
  errorKind,
  evaluateLeased,
  evaluateSlo,
  evaluationState,
  EVALUATOR_ID,
  historyPending,
  passEnd,
  type EvaluateOptions,
  type EvaluationOutcome,
} from './evaluate-slo';
import { carryGroupGaps } from './carry-gaps';
import { markQuietPushedSlos } from '../ingest/maintain-otel';
import { listPulledSlos, toSloRecord, type SloRecord } from '../../db/slos';
import { sourceDeps } from './source-deps';

export interface EvaluationRun {
  slos: number;
  evaluated: number;
  skipped: number;
  written: number;
  failed: Array<{ service: string; slo: string; kind: string; error: string; datasource?: string }>;
  ms: number;
  /** PromQL requests sent in this pass. */
  requests: number;
  /** SLOs caught up on the batched path, and the groups (one query per side each) they were read in. */
  batched: number;
  groups: number;
}

export interface EvaluateAllOptions extends EvaluateOptions {
  sloIds?: string[];
  /**
   * batched (default): leases, catch-up reads and writes for many SLOs at once. per-slo: each SLO on its own
   * with its own queries and statements, as before batching; kept to measure against (npm run bench:evaluator).
   */
  mode?: 'batched' | 'per-slo';
  /** SLOs that fill history in this pass, least history first; the others are only caught up. */
  backfillSlos?: number;
}

/** SLOs evaluated at once on the per-SLO path: a slow backend delays only its own SLOs' slots, not the whole pass. */
const CONCURRENCY = 8;
/** Grouped reads at once per data source; data sources are read side by side, so a slow one delays only itself. */
const GROUPS_PER_DATASOURCE = 4;
/** Per pass; each fills at most backfillDays (default: its source's pace, 7 days for Prometheus). New SLOs get their recent history first. */
const BACKFILL_SLOS = 64;
/** History beyond 7 days per SLO (sources that fill fast: demo) only this long into a pass; the next goes on. */
const EXTRA_BACKFILL_MS = 20_000;
/** Buckets held before they are written, so a long catch-up after an outage does not pile up in memory. */
const FLUSH_ROWS = 50_000;

/**
 * One evaluator pass over every SLO (or the given ones): each under its own lease, so several processes
 * share the work instead of repeating it; one failing SLO never stops or blanks the rest. Prometheus SLOs
 * of one query shape are caught up together, with one query per side for the lot.
 */
export async function evaluateAll(options: EvaluateAllOptions = {}): Promise<EvaluationRun> {
  const started = performance.now();
  // OpenTelemetry SLIs are pushed: ingest writes their buckets; the pass only marks those gone quiet.
  if (!options.sloIds)
    await markQuietPushedSlos(options.now ?? new Date()).catch((error: unknown) => log.error('evaluator.otel_maintenance_failed', { error }));
  const rows = await listPulledSlos(pushedKinds, options.sloIds);
  const run: EvaluationRun = { slos: rows.length, evaluated: 0, skipped: 0, written: 0, failed: [], ms: 0, requests: 0, batched: 0, groups: 0 };
  const records: SloRecord[] = [];
  for (const row of rows) {
    try {
      records.push(toSloRecord(row, row.service.slug));
    } catch (error) {
      internalFailure(run, { serviceSlug: row.service.slug, slug: row.slug }, error);
    }
  }
  const counter: RequestCounter = { requests: 0 };
  const base = options.deps ?? sourceDeps;
  if (options.mode === 'per-slo') {
    const deps: SourceDeps = { prometheusClient: async (slug) => countingClient(await base.prometheusClient(slug), counter) };
    await inPool(records, CONCURRENCY, async (slo) => {
      try {
        tally(run, slo, await evaluateSlo(slo, { ...options, deps }));
      } catch (error) {
        internalFailure(run, slo, error);
      }
    });
  } else {
    // One client per data source per pass: its row is read once, not once per SLO.
    const clients = new Map<string, Promise<PrometheusClient>>();
    const deps: SourceDeps = {
      prometheusClient: (slug) => {
        let client = clients.get(slug);
        if (!client) clients.set(slug, (client = base.prometheusClient(slug).then((c) => countingClient(c, counter))));
        return client;
      },
    };
    await evaluateBatched(records, { ...options, deps }, run);
  }
  run.requests = counter.requests;
  run.ms = Math.round(performance.now() - started);
  return run;
}

type Catchup = { slo: SloRecord; state: EvaluationState; from: Date; buckets: MinuteBucket[] };

/** What a batched pass knows and shares while it works through the data sources. */
interface Pass {
  now: Date;
  to: Date;
  owner: string;
  deps: SourceDeps;
  run: EvaluationRun;
  state: (slo: SloRecord) => EvaluationState;
  /** Days of history this SLO fills in this pass: 0 when it has no backfill slot, undefined for its source's pace. */
  backfillDays: (slo: SloRecord) => number | undefined;
  /** The per-SLO pass for an SLO already leased, its outcome counted in `run`. */
  perSlo: (slo: SloRecord, initial: EvaluationState, catchUp: boolean, written?: number) => Promise<void>;
}

/**
 * The batched pass: leases taken in one statement; Prometheus SLOs whose SLIs differ only in one label's
 * value are caught up with one query per side per group (lib/sources/prometheus/grouped.ts), their buckets
 * and bookkeeping written in bulk; a group's failure is each of its SLOs' failure, as on the per-SLO path.
 * Everything else (advanced PromQL, other sources, history backfill) goes SLO by SLO as before.
 */
async function evaluateBatched(records: SloRecord[], options: EvaluateAllOptions & { deps: SourceDeps }, run: EvaluationRun): Promise<void> {
  const now = options.now ?? new Date();
  const owner = options.owner ?? EVALUATOR_ID;
  const to = passEnd(now);
  const leases = await acquireLeases(
    records.map((r) => r.id),
    owner,
    now,
  );
  const leased = records.filter((r) => leases.has(r.id));
  run.skipped += records.length - leased.length;
  const states = new Map(leased.map((r) => [r.id, evaluationState(leases.get(r.id)!, to)]));
  const state = (slo: SloRecord) => states.get(slo.id)!;

  // Backfill slots: the SLOs with the least history first, so every new SLO shows its recent days soon.
  const wanting = leased.filter((r) => historyPending(state(r)));
  wanting.sort((a, b) => state(b).completeFrom.getTime() - state(a).completeFrom.getTime() || (a.id < b.id ? -1 : 1));
  const backfilling = new Set(wanting.slice(0, options.backfillSlos ?? BACKFILL_SLOS).map((r) => r.id));
  const backfillDays = (slo: SloRecord) => (backfilling.has(slo.id) ? options.backfillDays : 0);
  const backfillBy = Date.now() + EXTRA_BACKFILL_MS;
  const pass: Pass = {
    now,
    to,
    owner,
    deps: options.deps,
    run,
    state,
    backfillDays,
    perSlo: (slo, initial, catchUp, written = 0) =>
      evaluateLeased(slo, initial, { now, to, catchUp, backfillDays: backfillDays(slo), backfillBy, deps: options.deps, written }).then(
        (outcome) => tally(run, slo, outcome),
        (error: unknown) => internalFailure(run, slo, error),
      ),
  };

  // Per data source of a kind that batches (its registry entry's evaluateBatch): SLOs reading the same minutes (in
  // steady state, all of them) are grouped by query shape.
  const single: SloRecord[] = [];
  const datasources = new Map<string, { batch: BatchEvaluator; idle: SloRecord[]; byFrom: Map<number, Array<{ key: SloRecord; sli: SliSpec }>> }>();
  for (const slo of leased) {
    const batch = kindOf(slo.sli).evaluateBatch;
    const pool = batch?.poolOf(slo.sli) ?? null;
    if (!batch || pool === null) {
      single.push(slo);
      continue;
    }
    const key = `${slo.sli.source}:${pool}`;
    let work = datasources.get(key);
    if (!work) datasources.set(key, (work = { batch, idle: [], byFrom: new Map() }));
    const from = catchUpFrom(state(slo)).getTime();
    if (from >= to.getTime())
      work.idle.push(slo); // a first pass: nothing to catch up yet
    else work.byFrom.set(from, [...(work.byFrom.get(from) ?? []), { key: slo, sli: slo.sli }]);
  }
  const plans = [...datasources.values()].map(({ batch, idle, byFrom }) => {
    const groups: Array<{ group: BatchGroup<SloRecord>; from: Date }> = [];
    for (const [from, items] of byFrom) {
      const plan = batch.plan(items);
      single.push(...plan.single);
      for (const group of plan.groups) groups.push({ group, from: new Date(from) });
    }
    run.groups += groups.length;
    return { batch, idle, groups };
  });

  // Leases outlive a pass longer than LEASE_MS: renewed while it runs.
  const heartbeat = setInterval(() => {
    renewLeases([...states.keys()], owner).catch((error: unknown) => log.error('evaluator.lease_renewal_failed', { error }));
  }, LEASE_MS / 3);
  heartbeat.unref();
  try {
    await Promise.all([inPool(single, CONCURRENCY, (slo) => pass.perSlo(slo, state(slo), true)), ...plans.map((plan) => catchUpDatasource(plan, pass))]);
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * One data source's grouped catch-up: its groups read a few at a time, buckets written in batches as they
 * come, then the bookkeeping of all its SLOs in one statement; so a slow data source delays only its own SLOs.
 * A minute ending a gap in the samples carries it (carry-gaps.ts: one more query per side per gap longer than an
 * hour). Groups Prometheus refused or timed out on as a whole are then read SLO by SLO, and history is filled.
 */
async function catchUpDatasource(
  plan: { batch: BatchEvaluator; idle: SloRecord[]; groups: Array<{ group: BatchGroup<SloRecord>; from: Date }> },
  pass: Pass,
): Promise<void> {
  const { run, state, to } = pass;
  const caught: Catchup[] = plan.idle.map((slo) => ({ slo, state: state(slo), from: to, buckets: [] }));
  const fallback: SloRecord[] = [];
  let pending: Catchup[] = [];
  let pendingRows = 0;
  const flush = async () => {
    const batch = pending;
    pending = [];
    pendingRows = 0;
    try {
      await writeManyBuckets(batch.map((c) => ({ sloId: c.slo.id, buckets: c.buckets })));
      caught.push(...batch);
    } catch (error) {
      // Not a source fault: the database. Their leases expire; the next pass reads these minutes again.
      for (const c of batch) internalFailure(run, c.slo, error);
    }
  };

  await inPool(plan.groups, GROUPS_PER_DATASOURCE, async ({ group, from }) => {
    let result: Map<SloRecord, MinuteBucket[]>;
    try {
      result = await plan.batch.read(group, { from, to }, pass.deps, (slo) => state(slo).completeFrom, carryGroupGaps);
    } catch (error) {
      const { kind, message } = errorKind(error);
      const slos = group.members.map((m) => m.key);
      // Too big or too slow as a whole (one member with huge cardinality, say): each SLO gets its own query.
      if ((kind === 'bad_query' || kind === 'timeout') && new Set(group.members.map((m) => m.value)).size > 1) {
        log.warn('evaluator.group_split', { datasource: group.datasource, slos: slos.length, kind, reason: message });
        fallback.push(...slos);
        return;
      }
      log.warn('evaluator.group_failed', { datasource: group.datasource, slos: slos.length, kind, reason: message });
      try {
        await saveFailed(
          slos.map((slo) => ({ sloId: slo.id, state: state(slo), kind, message })),
          pass.owner,
        );
        for (const slo of slos) run.failed.push({ service: slo.serviceSlug, slo: slo.slug, kind, error: message, datasource: group.datasource });
      } catch (dbError) {
        for (const slo of slos) internalFailure(run, slo, dbError);
      }
      return;
    }
    for (const [slo, buckets] of result) {
      pending.push({ slo, state: state(slo), from, buckets });
      pendingRows += buckets.length;
    }
    if (pendingRows >= FLUSH_ROWS) await flush();
  });
  await flush();

  const saved: Array<{ sloId: string; state: EvaluationState; release: boolean }> = [];
  const continuing: Array<{ slo: SloRecord; state: EvaluationState; written: number }> = [];
  for (const c of caught) {
    const next = caughtUp(c.state, to);
    const more = pass.backfillDays(c.slo) !== 0 && historyPending(next);
    saved.push({ sloId: c.slo.id, state: next, release: !more });
    if (more) continuing.push({ slo: c.slo, state: next, written: c.buckets.length });
  }
  try {
    await saveCaughtUp(saved, pass.owner, pass.now);
  } catch (error) {
    for (const c of caught) internalFailure(run, c.slo, error);
    return;
  }
  run.batched += caught.length;
  const later = new Set(continuing.map((c) => c.slo.id));
  for (const c of caught) {
    if (later.has(c.slo.id)) continue; // counted when its history is done
    run.evaluated++;
    run.written += c.buckets.length;
  }
  const rest = [...fallback.map((slo) => ({ slo, state: state(slo), catchUp: true, written: 0 })), ...continuing.map((c) => ({ ...c, catchUp: false }))];
  await inPool(rest, CONCURRENCY, (c) => pass.perSlo(c.slo, c.state, c.catchUp, c.written));
}

function tally(run: EvaluationRun, slo: SloRecord, outcome: EvaluationOutcome): void {
  if (outcome.status === 'skipped') run.skipped++;
  else if (outcome.status === 'failed') {
    const datasource = kindOf(slo.sli).datasourceOf?.(slo.sli);
    run.failed.push({ service: slo.serviceSlug, slo: slo.slug, kind: outcome.kind, error: outcome.message, ...(datasource ? { datasource } : {}) });
  } else {
    run.evaluated++;
    run.written += outcome.written;
  }
}

/** Not a source fault (those are recorded on the SLO): the database or a corrupt row. Logged, and the pass goes on. */
function internalFailure(run: EvaluationRun, slo: { serviceSlug: string; slug: string }, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  run.failed.push({ service: slo.serviceSlug, slo: slo.slug, kind: 'internal', error: message });
  log.error('evaluator.slo_error', { service: slo.serviceSlug, slo: slo.slug, error });
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
