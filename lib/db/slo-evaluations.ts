import { db } from './client';
import type { SloEvaluation as EvaluationRow } from './generated/client';
import type { Tx } from './transaction';

// An SLO's evaluation row: its history, freshness and the evaluator's lease on it.

const MINUTE_MS = 60_000;
/** A lease outlives a slow pass; a crashed process's lease simply expires. */
export const LEASE_MS = 3 * MINUTE_MS;

/** An SLO's bookkeeping as read when its lease was taken. */
export interface Lease {
  history_from: Date | null;
  complete_from: Date | null;
  fresh_until: Date | null;
  stale_since: Date | null;
  reread_until: Date | null;
}

/** Where an SLO's evaluation stands: history and freshness, from its lease row. */
export interface EvaluationState {
  historyFrom: Date;
  completeFrom: Date;
  freshUntil: Date;
  /** A re-read of the history in progress (POST .../backfill): minutes before this are still to be read again. */
  rereadUntil: Date | null;
  /** As it was when the lease was taken: a failure keeps an earlier "stale since". */
  staleSince: Date | null;
}

/** Takes the SLO's lease if it is free, expired or ours; null when another process holds it. */
export async function acquireLease(sloId: string, owner: string, now: Date): Promise<Lease | null> {
  await db().$executeRaw`
    INSERT INTO slo_evaluations (slo_id, updated_at) VALUES (${sloId}::uuid, ${now.toISOString()}::timestamptz)
    ON CONFLICT (slo_id) DO NOTHING`;
  const rows = await db().$queryRaw<Lease[]>`
    UPDATE slo_evaluations
    SET lease_owner = ${owner}, lease_until = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz,
        last_attempt_at = ${now.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
    WHERE slo_id = ${sloId}::uuid
      AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < ${now.toISOString()}::timestamptz OR lease_owner = ${owner})
    RETURNING history_from, complete_from, fresh_until, stale_since, reread_until`;
  return rows[0] ?? null;
}

// Many SLOs at once: a pass costs a handful of statements, not a few per SLO.
// Timestamps go as ISO text so the driver cannot shift them by a local time zone (as in writeBuckets).

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

const iso = (d: Date) => d.toISOString();

/**
 * Records successful catch-ups: fresh, no error. `release` frees the lease; otherwise it is renewed for the
 * history still to fill. Only rows whose lease this process still holds are written.
 */
export async function saveCaughtUp(rows: ReadonlyArray<{ sloId: string; state: EvaluationState; release: boolean }>, owner: string, now: Date): Promise<void> {
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
export async function saveFailed(rows: ReadonlyArray<{ sloId: string; state: EvaluationState; kind: string; message: string }>, owner: string): Promise<void> {
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

/** Marks the whole stored history of a pulled SLO to be read again from its source (an SLO never evaluated has none). */
export async function markSloForReread(tx: Tx, sloId: string): Promise<void> {
  await tx.$executeRaw`
      UPDATE slo_evaluations SET reread_until = fresh_until, updated_at = now()
      WHERE slo_id = ${sloId}::uuid AND fresh_until IS NOT NULL`;
}

/** The SLO's evaluation row; null before its first evaluation. */
export function findEvaluation(sloId: string): Promise<EvaluationRow | null> {
  return db().sloEvaluation.findUnique({ where: { sloId } });
}

/** The newest minute read for the SLO; null before any was. */
export async function findFreshUntil(sloId: string): Promise<Date | null> {
  const row = await db().sloEvaluation.findUnique({ where: { sloId }, select: { freshUntil: true } });
  return row?.freshUntil ?? null;
}

/** The columns of an evaluation row a pass changes. */
export type EvaluationChanges = Partial<Omit<EvaluationRow, 'sloId' | 'updatedAt'>>;

export async function updateEvaluation(sloId: string, changes: EvaluationChanges): Promise<void> {
  await db().sloEvaluation.update({ where: { sloId }, data: changes });
}

/** Whether the SLO still has its evaluation row (deleting the SLO, or resetting its history, removes it). */
export async function evaluationExists(sloId: string): Promise<boolean> {
  return (await db().sloEvaluation.findUnique({ where: { sloId }, select: { sloId: true } })) !== null;
}

/** Forgets an SLO's buckets and evaluation row in one step. */
export async function deleteSloHistory(sloId: string): Promise<void> {
  await db().$transaction([db().sliBucket.deleteMany({ where: { sloId } }), db().sloEvaluation.deleteMany({ where: { sloId } })]);
}

/**
 * The oldest "fresh until" among SLOs the evaluator reads (those of pushed kinds are not read, so they are left
 * out); null when there is none.
 */
export async function oldestFreshUntilOfPulledSlos(pushedKinds: readonly string[]): Promise<Date | null> {
  const [row] = await db().$queryRaw<Array<{ oldest: Date | null }>>`
    SELECT MIN(e.fresh_until) AS oldest
    FROM slo_evaluations e
    JOIN slos s ON s.id = e.slo_id
    WHERE s.sli->>'source' IS NULL OR NOT (s.sli->>'source' = ANY(${[...pushedKinds]}::text[]))`;
  return row?.oldest ?? null;
}

/** Until when each SLO's figures have been read (its evaluation's freshUntil), by SLO id; SLOs never evaluated are left out. */
export async function freshUntilOfSlos(sloIds: string[]): Promise<Map<string, Date | null>> {
  const rows = await db().sloEvaluation.findMany({ where: { sloId: { in: sloIds } }, select: { sloId: true, freshUntil: true } });
  return new Map(rows.map((r) => [r.sloId, r.freshUntil]));
}
