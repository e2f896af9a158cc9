import type { SeriesState } from '../../sources/otel/series';

/**
 * Series states this process wrote last, with their row versions: a request whose series are all cached writes
 * them with one UPDATE guarded by the versions, instead of reading and locking them first. Bounded by
 * SERIES_CACHE_LIMIT (series-store.ts empties it past that). Tests empty it, or edit it to play a second process.
 */
export const seriesCache = new Map<string, { version: number; state: SeriesState }>();

/** Entries kept at most. */
export const SERIES_CACHE_LIMIT = 500_000;
