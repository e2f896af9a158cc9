import { db } from '../db/client';
import { log } from '../log';
import { sourceFor } from '../sources/registry';
import type { MinuteBucket } from '../sources/types';
import type { SliSpec } from '../schemas';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far back a new SLO's buckets are filled: the longest window an SLO can have. */
export const HISTORY_DAYS = 90;
/** Source reads are chunked so no single request asks a backend for more than a day. */
const CHUNK_MS = DAY_MS;
/** Rows per INSERT; keeps each statement's parameters small. */
const WRITE_BATCH = 20_000;

export interface SyncResult {
  written: number;
  from: Date | null;
  to: Date;
}

/**
 * Idempotent upsert of minute buckets: writing the same minute twice replaces it, never adds to it.
 * Timestamps go as ISO text so the driver cannot shift them by a local time zone.
 */
export async function writeBuckets(sloId: string, buckets: readonly MinuteBucket[]): Promise<number> {
  for (let i = 0; i < buckets.length; i += WRITE_BATCH) {
    const batch = buckets.slice(i, i + WRITE_BATCH);
    const starts = batch.map((b) => b.start.toISOString());
    const goods = batch.map((b) => b.good);
    const totals = batch.map((b) => b.total);
    await db().$executeRaw`
      INSERT INTO sli_buckets (slo_id, start, good, total)
      SELECT ${sloId}::uuid, u.s, u.g, u.t
      FROM unnest(${starts}::timestamptz[], ${goods}::float8[], ${totals}::float8[]) AS u(s, g, t)
      ON CONFLICT (slo_id, start) DO UPDATE SET good = EXCLUDED.good, total = EXCLUDED.total`;
  }
  return buckets.length;
}

/**
 * Brings an SLO's buckets up to the last whole minute before `now`: from its newest bucket onward, or the
 * whole history for a new SLO.
 */
export async function syncSloBuckets(slo: { id: string; sli: SliSpec }, now = new Date()): Promise<SyncResult> {
  const to = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  const newest = await db().sliBucket.findFirst({ where: { sloId: slo.id }, orderBy: { start: 'desc' }, select: { start: true } });
  const from = newest ? new Date(newest.start.getTime() + MINUTE_MS) : new Date(to.getTime() - HISTORY_DAYS * DAY_MS);
  if (from >= to) return { written: 0, from: null, to };
  const source = sourceFor(slo.sli);
  let written = 0;
  for (let chunkFrom = from.getTime(); chunkFrom < to.getTime(); chunkFrom += CHUNK_MS) {
    const chunkTo = Math.min(chunkFrom + CHUNK_MS, to.getTime());
    const buckets = await source.fetchBuckets(slo.sli, { from: new Date(chunkFrom), to: new Date(chunkTo) });
    written += await writeBuckets(slo.id, buckets);
  }
  log.debug('slo.buckets_synced', { sloId: slo.id, source: slo.sli.source, from: from.toISOString(), to: to.toISOString(), written });
  return { written, from, to };
}

/** Drops an SLO's buckets and fills them again, for when its SLI definition changed. */
export async function resyncSloBuckets(slo: { id: string; sli: SliSpec }, now = new Date()): Promise<SyncResult> {
  await db().sliBucket.deleteMany({ where: { sloId: slo.id } });
  return syncSloBuckets(slo, now);
}
