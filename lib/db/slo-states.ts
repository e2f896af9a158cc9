import { db } from './client';
import type { Tx } from './transaction';

// Each SLO's figures as its last evaluation left them (slo_states): written by the evaluator after every pass,
// read by the overview, the service pages, the list APIs, the gate and /metrics.

export interface StateRow {
  sloId: string;
  asOf: Date;
  /** lib/schemas/status.ts SloStatus as computed at asOf. */
  status: unknown;
  dataState: string;
  budgetRemaining: number | null;
  /** The most severe firing burn-rate tier, or null. */
  firing: string | null;
  /** When the evaluation that computed it ran (one per minute: a second process finds it done). */
  evaluatedAt: Date;
}

/**
 * Writes the states of many SLOs in one statement; a state older than the one stored (a slow pass finishing after
 * a newer one) is not written over it.
 */
export async function upsertStates(tx: Tx, rows: readonly StateRow[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = JSON.stringify(
    rows.map((r) => ({
      slo_id: r.sloId,
      as_of: r.asOf.toISOString(),
      status: r.status,
      data_state: r.dataState,
      budget_remaining: r.budgetRemaining,
      firing: r.firing,
      evaluated_at: r.evaluatedAt.toISOString(),
    })),
  );
  await tx.$executeRaw`
    INSERT INTO slo_states (slo_id, as_of, status, data_state, budget_remaining, firing, updated_at)
    SELECT s.slo_id, s.as_of, s.status, s.data_state, s.budget_remaining, s.firing, s.evaluated_at
    FROM jsonb_to_recordset(${payload}::jsonb)
      AS s(slo_id uuid, as_of timestamptz, status jsonb, data_state text, budget_remaining float8, firing text, evaluated_at timestamptz)
    WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = s.slo_id)
    ON CONFLICT (slo_id) DO UPDATE SET
      as_of = EXCLUDED.as_of, status = EXCLUDED.status, data_state = EXCLUDED.data_state,
      budget_remaining = EXCLUDED.budget_remaining, firing = EXCLUDED.firing, updated_at = EXCLUDED.updated_at
    WHERE slo_states.as_of <= EXCLUDED.as_of`;
}

/** The stored states of the given SLOs, by SLO id (an SLO never evaluated has none). */
export async function findStates(sloIds: readonly string[]): Promise<Map<string, StateRow>> {
  if (sloIds.length === 0) return new Map();
  const rows = await db().sloState.findMany({ where: { sloId: { in: [...sloIds] } } });
  return new Map(
    rows.map((r) => [
      r.sloId,
      {
        sloId: r.sloId,
        asOf: r.asOf,
        status: r.status,
        dataState: r.dataState,
        budgetRemaining: r.budgetRemaining,
        firing: r.firing,
        evaluatedAt: r.updatedAt,
      },
    ]),
  );
}

/**
 * The stored states' minutes, read under a lock per SLO held until this transaction ends: a second evaluator
 * recording the same SLOs waits here, then finds them done. (An advisory lock, since an SLO's first state has no
 * row to lock yet.)
 */
export async function lockStates(tx: Tx, sloIds: readonly string[]): Promise<Map<string, { asOf: Date; evaluatedAt: Date }>> {
  if (sloIds.length === 0) return new Map();
  const ids = [...sloIds];
  await tx.$queryRaw`
    SELECT pg_advisory_xact_lock(${STATE_LOCK_CLASS}::int, h)::text FROM (SELECT DISTINCT hashtext(id::text) AS h FROM unnest(${ids}::uuid[]) AS id ORDER BY 1) AS locks`;
  const rows = await tx.$queryRaw<Array<{ slo_id: string; as_of: Date; updated_at: Date }>>`
    SELECT slo_id, as_of, updated_at FROM slo_states WHERE slo_id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.slo_id, { asOf: r.as_of, evaluatedAt: r.updated_at }]));
}

/** The advisory-lock class of SLO states (any constant no other lock in Umpire uses). */
const STATE_LOCK_CLASS = 731_600;
