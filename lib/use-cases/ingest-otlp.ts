import { db } from '../db/client';
import { log } from '../log';
import type { MetricsRequest } from '../otlp/model';
import { OtelSli } from '../schemas';
import { applyPlan, planIngest, type AppliedPlan, type CatalogMetric, type IngestPlan, type MinuteIncrease } from '../sources/otel/plan';
import type { SeriesState } from '../sources/otel/series';
import { compileOtelSli, type CompiledOtelSli } from '../sources/otel/sli-match';

const MINUTE_MS = 60_000;
/** SLOs reading OTLP metrics are looked up again at most this often (and at once after a change here). */
const INDEX_TTL_MS = 5_000;
/** A catalog entry is written again at most this often per process. */
const CATALOG_EVERY_MS = 60_000;
/** Values remembered per metric attribute key; beyond it a key is high-cardinality and no new values are kept. */
const CATALOG_VALUES_PER_KEY = 200;

type SloIndex = Map<string, Array<CompiledOtelSli & { sloId: string }>>;
const holder = globalThis as typeof globalThis & { umpireOtelIndex?: { at: number; index: Promise<SloIndex> } };

/** Forget the cached SLO index: an OpenTelemetry SLO was created, changed or deleted. */
export function invalidateOtelSloIndex(): void {
  holder.umpireOtelIndex = undefined;
}

async function loadIndex(): Promise<SloIndex> {
  const rows = await db().$queryRaw<Array<{ id: string; sli: unknown }>>`SELECT id::text, sli FROM slos WHERE sli->>'source' = 'otel'`;
  const index: SloIndex = new Map();
  for (const row of rows) {
    const parsed = OtelSli.safeParse(row.sli);
    if (!parsed.success) {
      log.error('ingest.slo_unreadable', { slo: row.id });
      continue;
    }
    const compiled = { ...compileOtelSli(parsed.data), sloId: row.id };
    index.set(compiled.metric, [...(index.get(compiled.metric) ?? []), compiled]);
  }
  return index;
}

function sloIndex(now: number): Promise<SloIndex> {
  const cached = holder.umpireOtelIndex;
  if (cached && now - cached.at < INDEX_TTL_MS) return cached.index;
  const index = loadIndex();
  holder.umpireOtelIndex = { at: now, index };
  index.catch(() => invalidateOtelSloIndex());
  return index;
}

export interface IngestResult {
  /** Points counted, or recognised as already counted. */
  accepted: number;
  /** Points refused; `errorMessage` says why. */
  rejected: number;
  /** Points of metrics (or series) no SLO reads: not stored. */
  dropped: number;
  duplicates: number;
  /** Minute buckets added to. */
  buckets: number;
  errorMessage: string;
}

/**
 * Ingests one decoded OTLP metrics request: every increase it carries lands, once, in the one-minute
 * good/total buckets of the SLOs that read it. One transaction: a request is stored whole or not at all.
 * Throws IngestLimitError (from planIngest) when the request is over a limit.
 */
export async function ingestOtlp(request: MetricsRequest, now = new Date()): Promise<IngestResult> {
  const plan = planIngest(request, await sloIndex(now.getTime()), now);
  let applied: Pick<AppliedPlan, 'increases' | 'duplicates' | 'rejected'> = { increases: [], duplicates: 0, rejected: new Map() };
  if (plan.series.length > 0) applied = await withRetry(() => storeSeries(plan, now));
  await recordCatalog(plan.catalog, now).catch((error: unknown) => log.warn('ingest.catalog_failed', { error }));
  const reasons = new Map(plan.rejected);
  for (const [reason, n] of applied.rejected) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
  const rejected = [...reasons.values()].reduce((a, b) => a + b, 0);
  const lateRejected = [...applied.rejected.values()].reduce((a, b) => a + b, 0);
  return {
    accepted: plan.accepted - lateRejected,
    rejected,
    dropped: plan.dropped,
    duplicates: applied.duplicates,
    buckets: applied.increases.length,
    errorMessage: [...reasons].map(([reason, n]) => `${n} point${n === 1 ? '' : 's'}: ${reason}`).join('; '),
  };
}

const DEADLOCK = new Set(['40P01', '40001']);

function sqlState(error: unknown): string | undefined {
  const e = error as { meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } }; code?: unknown } | null;
  const candidates = [e?.meta?.code, e?.meta?.driverAdapterError?.cause?.originalCode, e?.meta?.driverAdapterError?.cause?.code, e?.code];
  return candidates.find((c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c));
}

/** Concurrent requests for the same series can deadlock despite ordered locking (bucket rows): retried. */
async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= 4) throw error;
      if (state === '23503') invalidateOtelSloIndex(); // an SLO was deleted meanwhile
      else if (!state || !DEADLOCK.has(state)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}

interface StateRow {
  id: string;
  start_ns: string;
  last_ns: string;
  recent_ns: string[] | null;
  count: number;
  buckets: number[] | null;
  bounds: number[] | null;
}

const arrayLiteral = (values: ReadonlyArray<number | bigint>) => `{${values.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? `"${v}"` : String(v))).join(',')}}`;

async function storeSeries(plan: IngestPlan, now: Date) {
  const series = [...plan.series].sort((a, b) => Buffer.compare(a.id, b.id));
  const ids = series.map((s) => s.id.toString('hex'));
  const at = now.toISOString();
  return db().$transaction(
    async (tx) => {
      // Rows first (placeholders with last_ns -1 for new series), then lock them all in id order: two requests
      // carrying the same series take turns, so no increase is counted twice.
      await tx.$executeRaw`
        INSERT INTO otel_series (id, metric, start_ns, last_ns, recent_ns, count, buckets, bounds, updated_at)
        SELECT decode(u.h, 'hex'), u.m, 0, -1, '{}', 0, '{}', '{}', ${at}::timestamptz
        FROM unnest(${ids}::text[], ${series.map((s) => s.metric)}::text[]) AS u(h, m)
        ORDER BY u.h
        ON CONFLICT (id) DO NOTHING`;
      const rows = await tx.$queryRaw<StateRow[]>`
        SELECT encode(id, 'hex') AS id, start_ns::text, last_ns::text, recent_ns::text[], count, buckets, bounds
        FROM otel_series WHERE id = ANY(SELECT decode(h, 'hex') FROM unnest(${ids}::text[]) AS h)
        ORDER BY id FOR UPDATE`;
      const stored = new Map<string, SeriesState>();
      for (const row of rows) {
        if (row.last_ns === '-1') continue;
        stored.set(row.id, {
          startNs: BigInt(row.start_ns),
          lastNs: BigInt(row.last_ns),
          recentNs: (row.recent_ns ?? []).map((v) => BigInt(v)),
          count: row.count,
          buckets: row.buckets ?? [],
          bounds: row.bounds ?? [],
        });
      }
      const applied = applyPlan(series, stored);
      const changed = [...applied.states].filter((entry): entry is [string, SeriesState] => entry[1] !== null);
      if (changed.length > 0) {
        await tx.$executeRaw`
          UPDATE otel_series s
          SET start_ns = u.st::bigint, last_ns = u.la::bigint, recent_ns = u.re::bigint[], count = u.c::float8,
              buckets = u.b::float8[], bounds = u.bo::float8[], updated_at = ${at}::timestamptz
          FROM unnest(
            ${changed.map(([id]) => id)}::text[],
            ${changed.map(([, s]) => String(s.startNs))}::text[],
            ${changed.map(([, s]) => String(s.lastNs))}::text[],
            ${changed.map(([, s]) => arrayLiteral(s.recentNs))}::text[],
            ${changed.map(([, s]) => String(s.count))}::text[],
            ${changed.map(([, s]) => arrayLiteral(s.buckets))}::text[],
            ${changed.map(([, s]) => arrayLiteral(s.bounds))}::text[]
          ) AS u(h, st, la, re, c, b, bo)
          WHERE s.id = decode(u.h, 'hex')`;
      }
      if (applied.increases.length > 0) {
        await addIncreases(tx, applied.increases, at);
      }
      return applied;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

type Tx = Parameters<Parameters<ReturnType<typeof db>['$transaction']>[0]>[0];

/** Adds to the buckets (push sources accumulate; pull sources replace) and marks the SLOs fresh. */
async function addIncreases(tx: Tx, increases: MinuteIncrease[], at: string): Promise<void> {
  const sorted = [...increases].sort((a, b) => (a.sloId < b.sloId ? -1 : a.sloId > b.sloId ? 1 : a.minute - b.minute));
  await tx.$executeRaw`
    INSERT INTO sli_buckets (slo_id, start, good, total)
    SELECT u.i, u.s, u.g, u.t
    FROM unnest(
      ${sorted.map((i) => i.sloId)}::uuid[],
      ${sorted.map((i) => new Date(i.minute).toISOString())}::timestamptz[],
      ${sorted.map((i) => String(i.good))}::float8[],
      ${sorted.map((i) => String(i.total))}::float8[]
    ) WITH ORDINALITY AS u(i, s, g, t, n)
    WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = u.i)
    ORDER BY u.n
    ON CONFLICT (slo_id, start) DO UPDATE SET good = sli_buckets.good + EXCLUDED.good, total = sli_buckets.total + EXCLUDED.total`;
  const span = new Map<string, { from: number; to: number }>();
  for (const i of sorted) {
    const s = span.get(i.sloId);
    if (!s) span.set(i.sloId, { from: i.minute, to: i.minute + MINUTE_MS });
    else {
      s.from = Math.min(s.from, i.minute);
      s.to = Math.max(s.to, i.minute + MINUTE_MS);
    }
  }
  const slos = [...span.keys()];
  await tx.$executeRaw`
    INSERT INTO slo_evaluations AS e (slo_id, history_from, complete_from, fresh_until, last_success_at, last_attempt_at, updated_at)
    SELECT u.i, u.f, u.f, u.t, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
    FROM unnest(
      ${slos}::uuid[],
      ${slos.map((id) => new Date(span.get(id)!.from).toISOString())}::timestamptz[],
      ${slos.map((id) => new Date(span.get(id)!.to).toISOString())}::timestamptz[]
    ) AS u(i, f, t)
    WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = u.i)
    ORDER BY u.i
    ON CONFLICT (slo_id) DO UPDATE SET
      history_from = LEAST(coalesce(e.history_from, EXCLUDED.history_from), EXCLUDED.history_from),
      complete_from = LEAST(coalesce(e.complete_from, EXCLUDED.complete_from), EXCLUDED.complete_from),
      fresh_until = GREATEST(coalesce(e.fresh_until, EXCLUDED.fresh_until), EXCLUDED.fresh_until),
      last_success_at = EXCLUDED.last_success_at, last_attempt_at = EXCLUDED.last_attempt_at,
      stale_since = NULL, last_error = NULL, last_error_kind = NULL, updated_at = EXCLUDED.updated_at`;
}

const catalogWritten = new Map<string, number>();
const valuesPerKey = new Map<string, number>();

/** Metric names, types, bounds and attribute values seen, for the SLO form; throttled per process. */
async function recordCatalog(catalog: ReadonlyMap<string, CatalogMetric>, now: Date): Promise<void> {
  const t = now.getTime();
  const fresh = (key: string) => {
    const last = catalogWritten.get(key);
    if (last !== undefined && t - last < CATALOG_EVERY_MS) return false;
    if (catalogWritten.size > 100_000) catalogWritten.clear();
    catalogWritten.set(key, t);
    return true;
  };
  const metrics = [...catalog.values()].filter((m) => fresh(`m\u0000${m.name}\u0000${m.type}\u0000${m.bounds.join(',')}`));
  const values: Array<{ metric: string; scope: string; key: string; value: string }> = [];
  for (const m of catalog.values()) {
    for (const [scopedKey, set] of m.attributes) {
      const [scope, key] = scopedKey.split('\u0000') as [string, string];
      const perKey = `${m.name}\u0000${scopedKey}`;
      for (const value of set) {
        const id = `v\u0000${perKey}\u0000${value}`;
        if (!catalogWritten.has(id)) {
          const n = valuesPerKey.get(perKey) ?? 0;
          if (n >= CATALOG_VALUES_PER_KEY) continue; // high cardinality: keep what is known, add nothing
          valuesPerKey.set(perKey, n + 1);
        }
        if (fresh(id)) values.push({ metric: m.name, scope, key, value });
      }
    }
  }
  if (metrics.length > 0) {
    await db().$executeRaw`
      INSERT INTO otel_metrics (name, type, unit, description, temporality, monotonic, bounds, last_seen_at)
      SELECT u.n, u.ty, u.un, u.d, u.te, u.mo, u.b::float8[], ${now.toISOString()}::timestamptz
      FROM unnest(
        ${metrics.map((m) => m.name)}::text[], ${metrics.map((m) => m.type)}::text[], ${metrics.map((m) => m.unit)}::text[],
        ${metrics.map((m) => m.description.slice(0, 1000))}::text[], ${metrics.map((m) => m.temporality)}::text[],
        ${metrics.map((m) => m.monotonic)}::boolean[], ${metrics.map((m) => arrayLiteral(m.bounds))}::text[]
      ) AS u(n, ty, un, d, te, mo, b)
      ORDER BY u.n
      ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type, unit = EXCLUDED.unit, description = EXCLUDED.description,
        temporality = EXCLUDED.temporality, monotonic = EXCLUDED.monotonic,
        bounds = CASE WHEN cardinality(EXCLUDED.bounds) > 0 THEN EXCLUDED.bounds ELSE otel_metrics.bounds END,
        last_seen_at = EXCLUDED.last_seen_at`;
  }
  if (values.length > 0) {
    values.sort((a, b) => (a.metric + a.scope + a.key + a.value < b.metric + b.scope + b.key + b.value ? -1 : 1));
    await db().$executeRaw`
      INSERT INTO otel_attribute_values (metric, scope, key, value, last_seen_at)
      SELECT u.m, u.s, u.k, u.v, ${now.toISOString()}::timestamptz
      FROM unnest(${values.map((v) => v.metric)}::text[], ${values.map((v) => v.scope)}::text[], ${values.map((v) => v.key)}::text[], ${values.map((v) => v.value)}::text[]) AS u(m, s, k, v)
      ON CONFLICT (metric, scope, key, value) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`;
  }
}

/** For tests: forget what this process has already written to the catalog. */
export function forgetCatalogWrites(): void {
  catalogWritten.clear();
  valuesPerKey.clear();
}

