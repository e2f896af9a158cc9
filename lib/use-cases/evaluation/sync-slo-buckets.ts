import { db } from '../../db/client';
import type { MinuteBucket } from '../../sources/types';

/** Rows per INSERT; keeps each statement's parameters small. */
const WRITE_BATCH = 20_000;

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
