import type { PoolClient } from 'pg';
import type { MinuteIncrease } from '../sources/otel/plan';
import type { SeriesState } from '../sources/otel/series';
import { encodeState } from '../sources/otel/state-codec';
import { pgPool } from './client';

// OTLP ingest's statements: node-postgres rather than Prisma on purpose (a few large statements per request,
// measured 2.8x faster; lib/db/client.ts pgPool). Timestamps go as ISO text.

const MINUTE_MS = 60_000;

/** A connection in an ingest transaction. */
export type IngestClient = PoolClient;

/** Runs `work` in one transaction on a pooled connection: committed when it returns, rolled back when it throws. */
export async function inIngestTransaction<T>(work: (client: IngestClient) => Promise<T>): Promise<T> {
  const client = await pgPool().connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Rows for the series not stored yet (placeholders: version 0, no state), then all of them locked in id order and
 * read: two requests carrying the same series take turns, so no increase is counted twice.
 */
export async function lockSeries(
  client: IngestClient,
  uncached: ReadonlyArray<{ id: Buffer; metric: string }>,
  at: string,
): Promise<Array<{ hex: string; version: number; state: Buffer | null }>> {
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
  return rows.rows;
}

/**
 * Writes the series' new states, each only where its row still has the version given (a cached state someone else
 * has since replaced updates nothing); returns how many rows were written.
 */
export async function updateSeriesStates(
  client: IngestClient,
  changed: ReadonlyArray<[hex: string, state: SeriesState]>,
  versions: ReadonlyMap<string, number>,
  at: string,
): Promise<number> {
  const result = await client.query(
    `UPDATE otel_series s SET state = u.st, version = s.version + 1, updated_at = $4::timestamptz
         FROM unnest($1::text[], $2::int[], $3::bytea[]) AS u(h, v, st)
         WHERE s.id = decode(u.h, 'hex') AND s.version = u.v`,
    [changed.map(([hex]) => hex), changed.map(([hex]) => versions.get(hex) ?? 0), changed.map(([, state]) => encodeState(state)), at],
  );
  return result.rowCount ?? 0;
}

/** Adds to the buckets (push sources accumulate; pull sources replace) and marks the SLOs fresh. */
export async function addIncreases(client: IngestClient, increases: MinuteIncrease[], at: string): Promise<void> {
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
