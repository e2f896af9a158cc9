import { Prisma } from './client';
import type { AlertEvent as AlertEventRow } from './generated/client';
import type { Tx } from './transaction';
import { db } from './client';

// Alert events (alert_events): one alert of one SLO from its first firing minute to its resolution.

export type { AlertEventRow };

export interface EventWrite {
  state: string;
  pendingSince: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  lastFiringAt: Date | null;
  peakBurnRate: number | null;
  budgetAtStart: number | null;
  budgetSpent: number | null;
}

/**
 * The events a transition may continue, locked for this transaction: those not resolved, and those resolved since
 * `resolvedSince` (the reopen grace). Two evaluators stepping the same SLO wait for each other here.
 */
export async function lockRecentEvents(tx: Tx, sloIds: readonly string[], resolvedSince: Date): Promise<AlertEventRow[]> {
  if (sloIds.length === 0) return [];
  return tx.$queryRaw<AlertEventRow[]>`
    SELECT id, slo_id AS "sloId", service_id AS "serviceId", kind, severity, alert_key AS "alertKey", state,
           pending_since AS "pendingSince", started_at AS "startedAt", ended_at AS "endedAt", last_firing_at AS "lastFiringAt",
           peak_burn_rate AS "peakBurnRate", budget_at_start AS "budgetAtStart", budget_at_end AS "budgetAtEnd",
           budget_spent AS "budgetSpent", details, created_at AS "createdAt", updated_at AS "updatedAt"
    FROM alert_events
    WHERE slo_id = ANY(${[...sloIds]}::uuid[]) AND (state <> 'resolved' OR ended_at >= ${resolvedSince.toISOString()}::timestamptz)
    ORDER BY created_at, id
    FOR UPDATE`;
}

/** New events, ids chosen by the caller, in one statement. */
export async function createEvents(tx: Tx, events: readonly AlertEventRow[]): Promise<void> {
  if (events.length === 0) return;
  await tx.alertEvent.createMany({
    data: events.map((e) => ({ ...e, details: (e.details ?? {}) as Prisma.InputJsonValue })),
  });
}

export async function updateEvent(
  tx: Tx,
  id: string,
  event: EventWrite & { details: Record<string, unknown>; budgetAtEnd: number | null },
): Promise<AlertEventRow> {
  return tx.alertEvent.update({ where: { id }, data: { ...event, details: event.details as Prisma.InputJsonValue, updatedAt: new Date() } });
}

/** Many events' new states in one statement (the evaluator updates every firing event every minute). */
export async function updateEvents(
  tx: Tx,
  updates: ReadonlyArray<EventWrite & { id: string; details: Record<string, unknown>; budgetAtEnd: number | null }>,
): Promise<void> {
  if (updates.length === 0) return;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const payload = JSON.stringify(
    updates.map((u) => ({
      id: u.id,
      state: u.state,
      pending_since: iso(u.pendingSince),
      started_at: iso(u.startedAt),
      ended_at: iso(u.endedAt),
      last_firing_at: iso(u.lastFiringAt),
      peak_burn_rate: u.peakBurnRate,
      budget_at_start: u.budgetAtStart,
      budget_at_end: u.budgetAtEnd,
      budget_spent: u.budgetSpent,
      details: u.details,
    })),
  );
  await tx.$executeRaw`
    UPDATE alert_events e SET state = u.state, pending_since = u.pending_since, started_at = u.started_at, ended_at = u.ended_at,
      last_firing_at = u.last_firing_at, peak_burn_rate = u.peak_burn_rate, budget_at_start = u.budget_at_start,
      budget_at_end = u.budget_at_end, budget_spent = u.budget_spent, details = u.details, updated_at = now()
    FROM jsonb_to_recordset(${payload}::jsonb) AS u(id uuid, state text, pending_since timestamptz, started_at timestamptz,
      ended_at timestamptz, last_firing_at timestamptz, peak_burn_rate float8, budget_at_start float8, budget_at_end float8,
      budget_spent float8, details jsonb)
    WHERE e.id = u.id`;
}

export async function deleteEvent(tx: Tx, id: string): Promise<void> {
  await tx.alertEvent.delete({ where: { id } });
}

export interface EventListFilter {
  /** open: pending or firing. */
  states?: readonly string[];
  sloId?: string;
  serviceId?: string;
  team?: string;
  limit: number;
}

export type EventWithSlo = AlertEventRow & { slo: { slug: string; name: string; service: { slug: string; ownerTeam: string } } };

/** Events newest first, with their SLO and service. */
export async function listEvents(filter: EventListFilter): Promise<EventWithSlo[]> {
  return db().alertEvent.findMany({
    where: {
      ...(filter.states ? { state: { in: [...filter.states] } } : {}),
      ...(filter.sloId ? { sloId: filter.sloId } : {}),
      ...(filter.serviceId ? { serviceId: filter.serviceId } : {}),
      ...(filter.team ? { slo: { service: { ownerTeam: filter.team } } } : {}),
    },
    include: { slo: { select: { slug: true, name: true, service: { select: { slug: true, ownerTeam: true } } } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit,
  });
}

export async function findEventById(id: string): Promise<EventWithSlo | null> {
  return db().alertEvent.findUnique({
    where: { id },
    include: { slo: { select: { slug: true, name: true, service: { select: { slug: true, ownerTeam: true } } } } },
  });
}

/** End of the newest minute with events per SLO, looking back `since` (null: none in that time). */
export async function lastEventMinutes(sloIds: readonly string[], since: Date): Promise<Map<string, Date>> {
  if (sloIds.length === 0) return new Map();
  const rows = await db().$queryRaw<Array<{ slo_id: string; last: Date }>>`
    SELECT slo_id, max(start) + interval '1 minute' AS last FROM sli_buckets
    WHERE slo_id = ANY(${[...sloIds]}::uuid[]) AND start >= ${since.toISOString()}::timestamptz AND total > 0 AND sli_bucket_fault(good, total, source_fault) IS NULL
    GROUP BY slo_id`;
  return new Map(rows.map((r) => [r.slo_id, r.last]));
}
