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
  /** When the evaluation that computed it ran (one per minute: a second process finds it done); default now. */
  evaluatedAt?: Date;
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
      evaluated_at: (r.evaluatedAt ?? new Date()).toISOString(),
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

/** A stored state with when it was written (an SLO changed after that has figures the state does not reflect). */
export interface StoredState extends StateRow {
  evaluatedAt: Date;
  updatedAt: Date;
}

/** The stored states of the given SLOs, by SLO id (an SLO never evaluated has none); one query, however many. */
export async function findStates(sloIds: readonly string[]): Promise<Map<string, StoredState>> {
  if (sloIds.length === 0) return new Map();
  const rows = await db().$queryRaw<
    Array<{ slo_id: string; as_of: Date; status: unknown; data_state: string; budget_remaining: number | null; firing: string | null; updated_at: Date }>
  >`
    SELECT slo_id::text AS slo_id, as_of, status, data_state, budget_remaining, firing, updated_at
    FROM slo_states WHERE slo_id = ANY(${[...sloIds]}::uuid[])`;
  return new Map(
    rows.map((r) => [
      r.slo_id,
      {
        sloId: r.slo_id,
        asOf: r.as_of,
        status: r.status,
        dataState: r.data_state,
        budgetRemaining: r.budget_remaining,
        firing: r.firing,
        evaluatedAt: r.updated_at,
        updatedAt: r.updated_at,
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

/** One SLO's stored state as /metrics exposes it: the parts of its status the series need. */
export interface MetricState {
  service: string;
  slo: string;
  team: string;
  asOf: Date;
  dataState: string;
  budgetRemaining: number | null;
  sli: unknown;
  burnRates: unknown;
  alerts: unknown;
}

/**
 * The stored states /metrics exposes, least budget left first (no budget last), at most `limit` of them, and how
 * many there are in all: one query per scrape.
 */
export async function findMetricStates(limit: number): Promise<{ rows: MetricState[]; total: number }> {
  const rows = await db().$queryRaw<
    Array<{
      service: string;
      slo: string;
      team: string;
      as_of: Date;
      data_state: string;
      budget_remaining: number | null;
      sli: unknown;
      burn_rates: unknown;
      alerts: unknown;
      total: bigint;
    }>
  >`
    SELECT v.slug AS service, s.slug AS slo, v.owner_team AS team, st.as_of, st.data_state, st.budget_remaining,
           st.status -> 'sli' AS sli, st.status -> 'burnRates' AS burn_rates, st.status -> 'alerts' AS alerts,
           count(*) OVER () AS total
    FROM slo_states st JOIN slos s ON s.id = st.slo_id JOIN services v ON v.id = s.service_id
    ORDER BY st.budget_remaining ASC NULLS LAST, v.slug, s.slug
    LIMIT ${limit}`;
  return {
    total: Number(rows[0]?.total ?? 0),
    rows: rows.map((r) => ({
      service: r.service,
      slo: r.slo,
      team: r.team,
      asOf: r.as_of,
      dataState: r.data_state,
      budgetRemaining: r.budget_remaining,
      sli: r.sli,
      burnRates: r.burn_rates,
      alerts: r.alerts,
    })),
  };
}
