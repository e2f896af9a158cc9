import { recordFeeds, type Feed } from '../../db/otel-feeders';
import { addIncreases, inIngestTransaction, lockSeries, updateSeriesStates } from '../../db/otel-series';
import { applyPlan, type IngestPlan } from '../../sources/otel/plan';
import type { SeriesState } from '../../sources/otel/series';
import { decodeState } from '../../sources/otel/state-codec';
import { invalidateOtelSloIndex } from './otel-slo-index';
import { SERIES_CACHE_LIMIT, seriesCache as cache } from './series-cache';

// The series store: each series' state (what its last point counted), the increases it yields and who fed what,
// written in one transaction per request.

/** Per SLO, the points this request brings it (counted, or recognised as counted already). */
export function feedsOf(plan: IngestPlan, tokenId: string): Feed[] {
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
export async function withRetry<T>(work: () => Promise<T>): Promise<T> {
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

/** Applies the plan to the series' stored (or cached) states and writes the outcome: states, increases, feeds. */
export async function storeSeries(plan: IngestPlan, feeds: Feed[], now: Date) {
  const series = [...plan.series].sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0));
  const at = now.toISOString();
  const versions = new Map<string, number>();
  const stored = new Map<string, SeriesState>();
  const { applied, changed } = await inIngestTransaction(async (client) => {
    const uncached = series.filter((s) => !cache.has(s.hex));
    if (uncached.length > 0) {
      for (const row of await lockSeries(client, uncached, at)) {
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
      const written = await updateSeriesStates(client, changed, versions, at);
      if (written !== changed.length) {
        for (const s of series) cache.delete(s.hex);
        throw new StaleCacheError(`${changed.length - written} series changed elsewhere`);
      }
    }
    if (applied.increases.length > 0) await addIncreases(client, applied.increases, at);
    await recordFeeds(client, feeds, at);
    return { applied, changed };
  });
  if (cache.size + changed.length > SERIES_CACHE_LIMIT) cache.clear();
  for (const [hex, state] of changed) cache.set(hex, { version: (versions.get(hex) ?? 0) + 1, state });
  return applied;
}
