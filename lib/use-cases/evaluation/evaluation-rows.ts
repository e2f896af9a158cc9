import { db } from '../../db/client';
import type { MinuteBucket } from '../../sources/types';
import { LEASE_MS, type EvaluationState, type Lease } from './evaluate-slo';

// The evaluator's bookkeeping for many SLOs at once: a pass costs a handful of statements, not a few per SLO.
// Timestamps go as ISO text so the driver cannot shift them by a local time zone (as in writeBuckets).

/** Rows per bucket INSERT. */
const WRITE_BATCH = 50_000;

/**
 * Takes the leases of the given SLOs that are free, expired or already ours, in one statement; returns the
 * bookkeeping of those taken. Rows another process is taking right now are skipped, not waited for
 * (SKIP LOCKED), and rows are locked in id order, so two evaluators never deadlock or both win an SLO.
 */
export async function acquireLeases(sloIds: readonly string[], owner: string, now: Date): Promise<Map<string, Lease>> {
  if (sloIds.length === 0) return new Map();
  const ids = [...sloIds];
  const at = now.toISOString();
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  // Rows for SLOs never evaluated; only existing SLOs (one deleted meanwhile is simply not leased), in id order.
  await db().$executeRaw`
    INSERT INTO slo_evaluations (slo_id, updated_at)
    SELECT s.id, ${at}::timestamptz FROM slos s
    WHERE s.id = ANY(${ids}::uuid[]) AND NOT EXISTS (SELECT 1 FROM slo_evaluations e WHERE e.slo_id = s.id)
    ORDER BY s.id
    ON CONFLICT (slo_id) DO NOTHING`;
  const rows = await db().$queryRaw<Array<Lease & { slo_id: string }>>`
    WITH free AS (
      SELECT slo_id FROM slo_evaluations
      WHERE slo_id = ANY(${ids}::uuid[])
        AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < ${at}::timestamptz OR lease_owner = ${owner})
      ORDER BY slo_id
      FOR UPDATE SKIP LOCKED
    )
    UPDATE slo_evaluations e
    SET lease_owner = ${owner}, lease_until = ${until}::timestamptz, last_attempt_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
    FROM free WHERE e.slo_id = free.slo_id
    RETURNING e.slo_id::text AS slo_id, e.history_from, e.complete_from, e.fresh_until, e.stale_since, e.reread_until`;
  return new Map(rows.map(({ slo_id, ...lease }) => [slo_id, lease]));
}

/** Extends the leases this process still holds among `sloIds`, for passes longer than a lease. */
export async function renewLeases(sloIds: readonly string[], owner: string): Promise<void> {
  if (sloIds.length === 0) return;
  const until = new Date(Date.now() + LEASE_MS).toISOString();
  await db().$executeRaw`
    UPDATE slo_evaluations SET lease_until = ${until}::timestamptz
    WHERE slo_id = ANY(${[...sloIds]}::uuid[]) AND lease_owner = ${owner}`;
}

/** Idempotent upsert of many SLOs' buckets in few statements; each (SLO, minute) at most once per call. */
export async function writeManyBuckets(entries: ReadonlyArray<{ sloId: string; buckets: readonly MinuteBucket[] }>): Promise<number> {
  let ids: string[] = [];
  let starts: string[] = [];
  let goods: string[] = [];
  let totals: string[] = [];
  let faults: Array<string | null> = [];
  let carried: Array<string | null> = [];
  let written = 0;
  const flush = async () => {
    if (ids.length === 0) return;
    await db().$executeRaw`
      INSERT INTO sli_buckets (slo_id, start, good, total, source_fault, carried_from)
      SELECT u.i, u.s, u.g, u.t, u.f, u.c
      FROM unnest(${ids}::uuid[], ${starts}::timestamptz[], ${goods}::float8[], ${totals}::float8[], ${faults}::text[], ${carried}::timestamptz[]) AS u(i, s, g, t, f, c)
      ON CONFLICT (slo_id, start) DO UPDATE
        SET good = EXCLUDED.good, total = EXCLUDED.total, source_fault = EXCLUDED.source_fault, carried_from = EXCLUDED.carried_from`;
    written += ids.length;
    ids = [];
    starts = [];
    goods = [];
    totals = [];
    faults = [];
    carried = [];
  };
  for (const { sloId, buckets } of entries) {
    for (const b of buckets) {
      ids.push(sloId);
      starts.push(b.start.toISOString());
      // NaN and infinities are stored as they came (PostgreSQL doubles hold them), to show as faults.
      goods.push(String(b.good));
      totals.push(String(b.total));
      faults.push(b.fault ?? null);
      carried.push(b.carriedFrom?.toISOString() ?? null);
      if (ids.length >= WRITE_BATCH) await flush();
    }
  }
  await flush();
  return written;
}

const iso = (d: Date) => d.toISOString();

/**
 * Records successful catch-ups: fresh, no error. `release` frees the lease; otherwise it is renewed for the
 * history still to fill. Only rows whose lease this process still holds are written.
 */
export async function saveCaughtUp(
  rows: ReadonlyArray<{ sloId: string; state: EvaluationState; release: boolean }>,
  owner: string,
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const renewed = new Date(Date.now() + LEASE_MS).toISOString();
  await db().$executeRaw`
    UPDATE slo_evaluations e
    SET history_from = u.hf, complete_from = u.cf, fresh_until = u.fu,
        stale_since = NULL, last_error = NULL, last_error_kind = NULL, last_success_at = ${iso(now)}::timestamptz,
        lease_owner = CASE WHEN u.release THEN NULL ELSE e.lease_owner END,
        lease_until = CASE WHEN u.release THEN NULL ELSE ${renewed}::timestamptz END,
        updated_at = ${new Date().toISOString()}::timestamptz
    FROM unnest(
      ${rows.map((r) => r.sloId)}::uuid[],
      ${rows.map((r) => iso(r.state.historyFrom))}::timestamptz[],
      ${rows.map((r) => iso(r.state.completeFrom))}::timestamptz[],
      ${rows.map((r) => iso(r.state.freshUntil))}::timestamptz[],
      ${rows.map((r) => r.release)}::boolean[]
    ) AS u(id, hf, cf, fu, release)
    WHERE e.slo_id = u.id AND e.lease_owner = ${owner}`;
}

/**
 * Records failed catch-ups as the per-SLO path does: stale since the last fresh minute (or since earlier,
 * if it was stale already), with the error; the lease is freed so the next pass, here or elsewhere, retries.
 */
export async function saveFailed(
  rows: ReadonlyArray<{ sloId: string; state: EvaluationState; kind: string; message: string }>,
  owner: string,
): Promise<void> {
  if (rows.length === 0) return;
  await db().$executeRaw`
    UPDATE slo_evaluations e
    SET history_from = u.hf, complete_from = u.cf, fresh_until = u.fu,
        stale_since = u.ss, last_error = u.msg, last_error_kind = u.kind,
        lease_owner = NULL, lease_until = NULL, updated_at = ${new Date().toISOString()}::timestamptz
    FROM unnest(
      ${rows.map((r) => r.sloId)}::uuid[],
      ${rows.map((r) => iso(r.state.historyFrom))}::timestamptz[],
      ${rows.map((r) => iso(r.state.completeFrom))}::timestamptz[],
      ${rows.map((r) => iso(r.state.freshUntil))}::timestamptz[],
      ${rows.map((r) => iso(r.state.staleSince ?? r.state.freshUntil))}::timestamptz[],
      ${rows.map((r) => r.message.slice(0, 2000))}::text[],
      ${rows.map((r) => r.kind)}::text[]
    ) AS u(id, hf, cf, fu, ss, msg, kind)
    WHERE e.slo_id = u.id AND e.lease_owner = ${owner}`;
}
