import type { PoolClient } from 'pg';
import { feedRefusal, isRestricted, resourceAllowed, SERVICE_NAME, type FedSlo, type IngestBinding } from '../../auth/ingest-binding';
import { db, pgPool } from '../../db/client';
import { env } from '../../env';
import { log } from '../../log';
import type { MetricsRequest } from '../../otlp/model';
import { OtelSli } from '../../schemas/index';
import { applyPlan, planIngest, type AppliedPlan, type CatalogMetric, type IngestPlan, type MinuteIncrease } from '../../sources/otel/plan';
import type { SeriesState } from '../../sources/otel/series';
import { decodeState, encodeState } from '../../sources/otel/state-codec';
import { compileOtelSli, type CompiledOtelSli } from '../../sources/otel/sli-match';

const MINUTE_MS = 60_000;
/** SLOs reading OTLP metrics are looked up again at most this often (and at once after a change here). */
const INDEX_TTL_MS = 5_000;
/** A catalog entry is written again at most this often per process. */
const CATALOG_EVERY_MS = 60_000;
/** Values remembered per metric attribute key; beyond it a key is high-cardinality and no new values are kept. */
const CATALOG_VALUES_PER_KEY = 200;

/** An SLO reading OTLP metrics, with what a token's binding is checked against. */
type IndexedSlo = CompiledOtelSli & { sloId: string; fed: FedSlo };
type SloIndex = Map<string, IndexedSlo[]>;
const holder = globalThis as typeof globalThis & { umpireOtelIndex?: { at: number; index: Promise<SloIndex> } };

/** Forget the cached SLO index: an OpenTelemetry SLO was created, changed or deleted, or its service renamed or handed to another team. */
export function invalidateOtelSloIndex(): void {
  holder.umpireOtelIndex = undefined;
}

async function loadIndex(): Promise<SloIndex> {
  const rows = await db().$queryRaw<Array<{ id: string; sli: unknown; slug: string; service: string; team: string }>>`
    SELECT s.id::text, s.sli, s.slug, v.slug AS service, v.owner_team AS team
    FROM slos s JOIN services v ON v.id = s.service_id WHERE s.sli->>'source' = 'otel'`;
  const index: SloIndex = new Map();
  for (const row of rows) {
    const parsed = OtelSli.safeParse(row.sli);
    if (!parsed.success) {
      log.error('ingest.slo_unreadable', { slo: row.id });
      continue;
    }
    const compiled: IndexedSlo = { ...compileOtelSli(parsed.data), sloId: row.id, fed: { team: row.team, service: row.service, slo: row.slug } };
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
  /** Why points were refused, and warnings (metric names left out of the catalogue); '' when all is well. */
  errorMessage: string;
  /** SLOs the token may not feed that these points were for ("service/slo"), with the points refused. */
  refusedSlos: Array<{ slo: string; points: number }>;
  /** New metric names left out of the catalogue: the token has added as many as one may. */
  notCatalogued: number;
}

/**
 * Ingests one decoded OTLP metrics request sent with a token bound as `binding`: every increase it carries lands,
 * once, in the one-minute good/total buckets of the SLOs that read it and the token may feed; points for SLOs it
 * may not feed are refused with the reason. One transaction: a request is stored whole or not at all.
 * Throws IngestLimitError (from planIngest) when the request is over a limit.
 */
export async function ingestOtlp(request: MetricsRequest, binding: IngestBinding, now = new Date()): Promise<IngestResult> {
  const t = now.getTime();
  const decided = new Map<string, boolean>();
  // Every attribute value of a metric and resource is collected for the catalogue once a minute (and those of
  // series new to this process at once): collecting them on every request costs per point.
  const catalogDue = (metric: string, resourceKey: string) => {
    const key = `${metric}\u0000${resourceKey}`;
    let due = decided.get(key);
    if (due === undefined) {
      const last = catalogCollected.get(key);
      due = last === undefined || t - last >= CATALOG_EVERY_MS;
      if (due) {
        if (catalogCollected.size > 100_000) catalogCollected.clear();
        catalogCollected.set(key, t);
      }
      decided.set(key, due);
    }
    return due;
  };
  const index = await sloIndex(t);
  const plan = planIngest(request, index, now, { catalogDue, ...bindingOptions(binding) });
  let applied: Pick<AppliedPlan, 'increases' | 'duplicates' | 'rejected'> = { increases: [], duplicates: 0, rejected: new Map() };
  if (plan.series.length > 0) applied = await withRetry(() => storeSeries(plan, feedsOf(plan, binding.tokenId), now));
  const catalogued = await recordCatalog(plan.catalog, binding.tokenId, now).catch((error: unknown) => {
    log.warn('ingest.catalog_failed', { error });
    return { notCatalogued: [] as string[] };
  });
  const reasons = new Map(plan.rejected);
  for (const [reason, n] of applied.rejected) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
  const lateRejected = [...applied.rejected.values()].reduce((a, b) => a + b, 0);
  const messages = [...reasons].map(([reason, n]) => `${n} point${n === 1 ? '' : 's'}: ${reason}`);
  const skipped = catalogued.notCatalogued;
  if (skipped.length > 0) {
    // A warning (OTLP: partial success with 0 rejected): the points themselves were taken.
    const limit = env().UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN;
    const some = skipped.slice(0, 3).map((name) => JSON.stringify(name.slice(0, 100))).join(', ');
    messages.push(
      `${skipped.length} metric name${skipped.length === 1 ? '' : 's'} (${some}${skipped.length > 3 ? ', …' : ''}) not added to the catalogue the SLO form lists: token ${JSON.stringify(binding.tokenName)} has added ${limit} names, as many as one token may (UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN); points for SLOs still count`,
    );
  }
  const slos = plan.refused.size > 0 ? new Map([...index.values()].flat().map((slo) => [slo.sloId, slo.fed])) : new Map<string, FedSlo>();
  return {
    accepted: plan.accepted - lateRejected,
    rejected: plan.rejectedPoints + lateRejected,
    dropped: plan.dropped,
    duplicates: applied.duplicates,
    buckets: applied.increases.length,
    errorMessage: messages.join('; '),
    refusedSlos: [...plan.refused].map(([id, r]) => {
      const fed = slos.get(id);
      return { slo: fed ? `${fed.service}/${fed.slo}` : id, points: r.points };
    }),
    notCatalogued: skipped.length,
  };
}

/** What the plan asks of a token's binding: nothing for a token that may feed anything (as before bindings). */
function bindingOptions(binding: IngestBinding) {
  if (!isRestricted(binding)) return {};
  // One answer per SLO and service.name per request: refusals are built once, not per metric.
  const answers = new Map<string, string | null>();
  return {
    seriesKey: binding.seriesKey,
    mayFeed: (slo: IndexedSlo, resource: Readonly<Record<string, string>>) => {
      const serviceName = resource[SERVICE_NAME];
      const key = `${slo.sloId}\u0000${serviceName ?? '\u0001'}`;
      let answer = answers.get(key);
      if (answer === undefined) answers.set(key, (answer = feedRefusal(binding, slo.fed, serviceName)));
      return answer;
    },
    catalogResource: binding.serviceNames === null ? undefined : (resource: Readonly<Record<string, string>>) => resourceAllowed(binding, resource[SERVICE_NAME]),
  };
}

interface Feed {
  sloId: string;
  tokenId: string;
  points: number;
}

/** Per SLO, the points this request brings it (counted, or recognised as counted already). */
function feedsOf(plan: IngestPlan, tokenId: string): Feed[] {
  const bySlo = new Map<string, Feed>();
  for (const series of plan.series) {
    for (const { sloId } of series.targets) {
      const feed = bySlo.get(sloId);
      if (feed) feed.points += series.points.length;
      else bySlo.set(sloId, { sloId, tokenId, points: series.points.length });
    }
  }
  return [...bySlo.values()].sort((a, b) => (a.sloId < b.sloId ? -1 : a.sloId > b.sloId ? 1 : 0));
}

/** Which tokens fed each SLO: one upsert per request and SLO, in the transaction that adds the increases. */
async function recordFeeds(client: PoolClient, feeds: Feed[], at: string): Promise<void> {
  if (feeds.length === 0) return;
  await client.query(
    `INSERT INTO otel_feeders AS f (slo_id, token_id, points, first_fed_at, last_fed_at)
     SELECT u.s, u.t, u.p, $4::timestamptz, $4::timestamptz
     FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS u(s, t, p)
     WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = u.s) AND EXISTS (SELECT 1 FROM api_tokens WHERE api_tokens.id = u.t)
     ORDER BY u.s
     ON CONFLICT (slo_id, token_id) DO UPDATE SET points = f.points + EXCLUDED.points, last_fed_at = GREATEST(f.last_fed_at, EXCLUDED.last_fed_at)`,
    [feeds.map((f) => f.sloId), feeds.map((f) => f.tokenId), feeds.map((f) => f.points), at],
  );
}

const RETRYABLE = new Set(['40P01', '40001']);

function sqlState(error: unknown): string | undefined {
  const e = error as { meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } }; code?: unknown } | null;
  const candidates = [e?.code, e?.meta?.code, e?.meta?.driverAdapterError?.cause?.originalCode, e?.meta?.driverAdapterError?.cause?.code];
  return candidates.find((c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c));
}

/** Another process (or request) wrote series this process had cached: their states are read again. */
class StaleCacheError extends Error {}

/**
 * Retried: deadlocks between concurrent requests sharing series, a series cache another writer made stale,
 * and an SLO deleted meanwhile (its buckets' foreign key).
 */
async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 5) throw error;
      const state = sqlState(error);
      if (state === '23503') invalidateOtelSloIndex();
      else if (!(error instanceof StaleCacheError) && !(state && RETRYABLE.has(state))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}

/**
 * Series states this process wrote last, with their row versions: a request whose series are all cached writes
 * them with one UPDATE guarded by the versions, instead of reading and locking them first. Bounded.
 */
const cache = new Map<string, { version: number; state: SeriesState }>();
const CACHE_LIMIT = 500_000;

/** For tests: the series cache, to play two processes with one. */
export function seriesCacheForTests(): Map<string, { version: number; state: SeriesState }> {
  return cache;
}

async function storeSeries(plan: IngestPlan, feeds: Feed[], now: Date) {
  const series = [...plan.series].sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0));
  const at = now.toISOString();
  const client = await pgPool().connect();
  const versions = new Map<string, number>();
  const stored = new Map<string, SeriesState>();
  try {
    await client.query('BEGIN');
    const uncached = series.filter((s) => !cache.has(s.hex));
    if (uncached.length > 0) {
      // Rows first (placeholders for new series), then lock them all in id order: two requests carrying the
      // same series take turns, so no increase is counted twice.
      const ids = uncached.map((s) => s.id);
      await client.query(
        `INSERT INTO otel_series (id, metric, version, state, updated_at)
         SELECT u.id, u.m, 0, NULL, $3::timestamptz FROM unnest($1::bytea[], $2::text[]) AS u(id, m)
         ORDER BY u.id ON CONFLICT (id) DO NOTHING`,
        [ids, uncached.map((s) => s.metric), at],
      );
      const rows = await client.query<{ hex: string; version: number; state: Buffer | null }>(
        `SELECT encode(id, 'hex') AS hex, version, state FROM otel_series WHERE id = ANY($1::bytea[]) ORDER BY id FOR UPDATE`,
        [ids],
      );
      for (const row of rows.rows) {
        versions.set(row.hex, row.version);
        if (row.state) stored.set(row.hex, decodeState(row.state));
      }
    }
    for (const s of series) {
      const hit = cache.get(s.hex);
      if (!hit) continue;
      versions.set(s.hex, hit.version);
      stored.set(s.hex, hit.state);
    }
    const applied = applyPlan(series, stored);
    const changed = [...applied.states].filter((entry): entry is [string, SeriesState] => entry[1] !== null && entry[1] !== stored.get(entry[0]));
    if (changed.length > 0) {
      // Guarded by version: a cached state someone else has since replaced updates nothing, and the request is
      // retried with fresh, locked rows.
      const result = await client.query(
        `UPDATE otel_series s SET state = u.st, version = s.version + 1, updated_at = $4::timestamptz
         FROM unnest($1::text[], $2::int[], $3::bytea[]) AS u(h, v, st)
         WHERE s.id = decode(u.h, 'hex') AND s.version = u.v`,
        [changed.map(([hex]) => hex), changed.map(([hex]) => versions.get(hex) ?? 0), changed.map(([, state]) => encodeState(state)), at],
      );
      if (result.rowCount !== changed.length) {
        for (const s of series) cache.delete(s.hex);
        throw new StaleCacheError(`${changed.length - (result.rowCount ?? 0)} series changed elsewhere`);
      }
    }
    if (applied.increases.length > 0) await addIncreases(client, applied.increases, at);
    await recordFeeds(client, feeds, at);
    await client.query('COMMIT');
    if (cache.size + changed.length > CACHE_LIMIT) cache.clear();
    for (const [hex, state] of changed) cache.set(hex, { version: (versions.get(hex) ?? 0) + 1, state });
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Adds to the buckets (push sources accumulate; pull sources replace) and marks the SLOs fresh. */
async function addIncreases(client: PoolClient, increases: MinuteIncrease[], at: string): Promise<void> {
  const sorted = [...increases].sort((a, b) => (a.sloId < b.sloId ? -1 : a.sloId > b.sloId ? 1 : a.minute - b.minute));
  await client.query(
    `INSERT INTO sli_buckets (slo_id, start, good, total)
     SELECT u.i, u.s, u.g, u.t
     FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[], $4::float8[]) WITH ORDINALITY AS u(i, s, g, t, n)
     WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = u.i)
     ORDER BY u.n
     ON CONFLICT (slo_id, start) DO UPDATE SET good = sli_buckets.good + EXCLUDED.good, total = sli_buckets.total + EXCLUDED.total`,
    [sorted.map((i) => i.sloId), sorted.map((i) => new Date(i.minute).toISOString()), sorted.map((i) => i.good), sorted.map((i) => i.total)],
  );
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
  await client.query(
    `INSERT INTO slo_evaluations AS e (slo_id, history_from, complete_from, fresh_until, last_success_at, last_attempt_at, updated_at)
     SELECT u.i, u.f, u.f, u.t, $4::timestamptz, $4::timestamptz, $4::timestamptz
     FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS u(i, f, t)
     WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = u.i)
     ORDER BY u.i
     ON CONFLICT (slo_id) DO UPDATE SET
       history_from = LEAST(coalesce(e.history_from, EXCLUDED.history_from), EXCLUDED.history_from),
       complete_from = LEAST(coalesce(e.complete_from, EXCLUDED.complete_from), EXCLUDED.complete_from),
       fresh_until = GREATEST(coalesce(e.fresh_until, EXCLUDED.fresh_until), EXCLUDED.fresh_until),
       last_success_at = EXCLUDED.last_success_at, last_attempt_at = EXCLUDED.last_attempt_at,
       stale_since = NULL, last_error = NULL, last_error_kind = NULL, updated_at = EXCLUDED.updated_at`,
    [slos, slos.map((id) => new Date(span.get(id)!.from).toISOString()), slos.map((id) => new Date(span.get(id)!.to).toISOString()), at],
  );
}

const arrayLiteral = (values: readonly number[]) => `{${values.map((v) => (Number.isFinite(v) ? String(v) : `"${v}"`)).join(',')}}`;

const catalogWritten = new Map<string, number>();
/** When each metric's attribute values from each resource were last all collected for the catalogue. */
const catalogCollected = new Map<string, number>();
const valuesPerKey = new Map<string, number>();
/** Per token, the metric names it has put in the catalogue (read again from the database every CATALOG_EVERY_MS). */
const tokenNames = new Map<string, { names: Set<string>; loadedAt: number }>();
/** Catalogue rows not seen for this long are forgotten (lib/use-cases/ingest/maintain-otel.ts): they no longer count. */
const CATALOG_KEPT_MS = 7 * 1440 * MINUTE_MS;

async function namesOf(tokenId: string, t: number): Promise<Set<string>> {
  const known = tokenNames.get(tokenId);
  if (known && t - known.loadedAt < CATALOG_EVERY_MS) return known.names;
  const rows = await db().$queryRaw<Array<{ metric: string }>>`
    SELECT metric FROM otel_metric_tokens WHERE token_id = ${tokenId}::uuid AND last_seen_at >= ${new Date(t - CATALOG_KEPT_MS).toISOString()}::timestamptz`;
  // Names this process admitted since are in the database already: they were written when admitted.
  const names = new Set(rows.map((r) => r.metric));
  if (tokenNames.size > 10_000) tokenNames.clear();
  tokenNames.set(tokenId, { names, loadedAt: t });
  return names;
}

/**
 * Metric names, types, bounds and attribute values seen, for the SLO form; throttled per process. Each token may
 * add UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN names (about: processes count apart between reads) and that many values
 * per attribute key: its further new names are left out and returned, so one token's junk cannot bury the others'.
 */
async function recordCatalog(catalog: ReadonlyMap<string, CatalogMetric>, tokenId: string, now: Date): Promise<{ notCatalogued: string[] }> {
  const t = now.getTime();
  if (catalog.size === 0) return { notCatalogued: [] };
  const fresh = (key: string) => {
    const last = catalogWritten.get(key);
    if (last !== undefined && t - last < CATALOG_EVERY_MS) return false;
    if (catalogWritten.size > 100_000) catalogWritten.clear();
    catalogWritten.set(key, t);
    return true;
  };
  const limit = env().UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN;
  const names = await namesOf(tokenId, t);
  const admitted: CatalogMetric[] = [];
  const notCatalogued: string[] = [];
  for (const m of catalog.values()) {
    if (names.has(m.name) || names.size < limit) {
      names.add(m.name);
      admitted.push(m);
    } else notCatalogued.push(m.name);
  }
  const links = admitted.filter((m) => fresh(`t\u0000${tokenId}\u0000${m.name}`)).map((m) => m.name);
  const metrics = admitted.filter((m) => fresh(`m\u0000${m.name}\u0000${m.type}\u0000${m.bounds.join(',')}`));
  const values: Array<{ metric: string; scope: string; key: string; value: string }> = [];
  for (const m of admitted) {
    for (const [scopedKey, set] of m.attributes) {
      const [scope, key] = scopedKey.split('\u0000') as [string, string];
      const perKey = `${tokenId}\u0000${m.name}\u0000${scopedKey}`;
      for (const value of set) {
        const id = `v\u0000${m.name}\u0000${scopedKey}\u0000${value}`;
        if (!catalogWritten.has(id)) {
          const n = valuesPerKey.get(perKey) ?? 0;
          if (n >= CATALOG_VALUES_PER_KEY) continue; // high cardinality: keep what is known, add nothing
          if (valuesPerKey.size > 100_000) valuesPerKey.clear();
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
  if (links.length > 0) {
    await db().$executeRaw`
      INSERT INTO otel_metric_tokens (token_id, metric, last_seen_at)
      SELECT ${tokenId}::uuid, u.m, ${now.toISOString()}::timestamptz FROM unnest(${links}::text[]) AS u(m)
      WHERE EXISTS (SELECT 1 FROM api_tokens WHERE id = ${tokenId}::uuid)
      ORDER BY u.m
      ON CONFLICT (token_id, metric) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`;
  }
  if (values.length > 0) {
    values.sort((a, b) => (a.metric + a.scope + a.key + a.value < b.metric + b.scope + b.key + b.value ? -1 : 1));
    await db().$executeRaw`
      INSERT INTO otel_attribute_values (metric, scope, key, value, last_seen_at)
      SELECT u.m, u.s, u.k, u.v, ${now.toISOString()}::timestamptz
      FROM unnest(${values.map((v) => v.metric)}::text[], ${values.map((v) => v.scope)}::text[], ${values.map((v) => v.key)}::text[], ${values.map((v) => v.value)}::text[]) AS u(m, s, k, v)
      ON CONFLICT (metric, scope, key, value) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`;
  }
  return { notCatalogued };
}

/** For tests: forget what this process has already written to the catalog. */
export function forgetCatalogWrites(): void {
  catalogWritten.clear();
  catalogCollected.clear();
  valuesPerKey.clear();
  tokenNames.clear();
}
