import { db, Prisma } from './client';
import type { Notification as NotificationRow } from './generated/client';
import type { Tx } from './transaction';

// The notification outbox (notifications) and its delivery log (notification_attempts): rows are written in the
// transaction that records an alert's transition, and claimed, sent and settled by the dispatcher.

export type { NotificationRow };

export interface RoutingRoute {
  id: string;
  team: string;
  services: string[];
  slos: string[];
  severities: string[];
  kinds: string[];
  labels: Record<string, string>;
  channel: { id: string; slug: string; kind: string };
}

export interface RoutingSilence {
  id: string;
  scope: 'team' | 'service' | 'slo';
  team: string;
  service: string | null;
  slo: string | null;
  startsAt: Date;
  endsAt: Date;
}

/** Every route with its channel, and the silences not yet over: what the outbox writer matches alerts against. */
export async function routingSnapshot(tx: Tx, now: Date): Promise<{ routes: RoutingRoute[]; silences: RoutingSilence[] }> {
  const [routes, silences] = await Promise.all([
    tx.notificationRoute.findMany({ include: { channel: { select: { id: true, slug: true, kind: true } } }, orderBy: { createdAt: 'asc' } }),
    tx.$queryRaw<RoutingSilence[]>`
      SELECT s.id, s.scope, s.team, sv.slug AS service, sl.slug AS slo, s.starts_at AS "startsAt", s.ends_at AS "endsAt"
      FROM silences s
      LEFT JOIN services sv ON sv.id = s.service_id
      LEFT JOIN slos sl ON sl.id = s.slo_id
      WHERE s.ends_at > ${now.toISOString()}::timestamptz`,
  ]);
  return {
    routes: routes.map((r) => ({ ...r, labels: (r.labels ?? {}) as Record<string, string> })),
    silences,
  };
}

export interface OutboxWrite {
  idempotencyKey: string;
  alertEventId: string | null;
  channelId: string;
  action: string;
  payload: unknown;
  /** pending (to send) or held (silenced). */
  status: 'pending' | 'held';
}

/** Adds notifications to the outbox; one whose idempotency key is already there is not added again. Returns how many were. */
export async function enqueue(tx: Tx, rows: readonly OutboxWrite[]): Promise<number> {
  if (rows.length === 0) return 0;
  const payload = JSON.stringify(
    rows.map((r) => ({
      id: crypto.randomUUID(),
      key: r.idempotencyKey,
      event: r.alertEventId,
      channel: r.channelId,
      action: r.action,
      payload: r.payload,
      status: r.status,
    })),
  );
  return tx.$executeRaw`
    INSERT INTO notifications (id, idempotency_key, alert_event_id, channel_id, action, payload, status)
    SELECT n.id, n.key, n.event, n.channel, n.action, n.payload, n.status
    FROM jsonb_to_recordset(${payload}::jsonb) AS n(id uuid, key text, event uuid, channel uuid, action text, payload jsonb, status text)
    ON CONFLICT (idempotency_key) DO NOTHING`;
}

/** The channels a trigger of this event went (or is going) to, not held: those that must hear its resolution. */
export async function triggeredChannels(tx: Tx, alertEventIds: readonly string[]): Promise<Map<string, Set<string>>> {
  if (alertEventIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<Array<{ alert_event_id: string; channel_id: string }>>`
    SELECT DISTINCT alert_event_id, channel_id FROM notifications
    WHERE alert_event_id = ANY(${[...alertEventIds]}::uuid[]) AND action IN ('trigger', 'repeat') AND status <> 'held'`;
  const out = new Map<string, Set<string>>();
  for (const r of rows) (out.get(r.alert_event_id) ?? out.set(r.alert_event_id, new Set()).get(r.alert_event_id)!).add(r.channel_id);
  return out;
}

/** A held trigger of an event still firing, with what a silence is matched against. */
export interface HeldTrigger {
  id: string;
  team: string;
  service: string;
  slo: string;
}

/** Held triggers of events still firing, locked (rows another process is releasing are skipped). */
export async function lockHeldTriggers(tx: Tx): Promise<HeldTrigger[]> {
  return tx.$queryRaw<HeldTrigger[]>`
    SELECT n.id, sv.owner_team AS team, sv.slug AS service, sl.slug AS slo
    FROM notifications n
    JOIN alert_events e ON e.id = n.alert_event_id
    JOIN slos sl ON sl.id = e.slo_id
    JOIN services sv ON sv.id = sl.service_id
    WHERE n.status = 'held' AND n.action = 'trigger' AND e.state = 'firing'
    FOR UPDATE OF n SKIP LOCKED`;
}

/** Held notifications go out now (their silence is over). */
export async function release(tx: Tx, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return tx.$executeRaw`UPDATE notifications SET status = 'pending', next_attempt_at = now() WHERE id = ANY(${[...ids]}::uuid[]) AND status = 'held'`;
}

export type ClaimedNotification = NotificationRow & { channel: { slug: string; kind: string; config: Prisma.JsonValue; secret: string | null } };

/**
 * Claims up to `limit` notifications due now (pending and due, or claimed by a process whose claim ran out: it
 * died mid-send) for `owner` until `until`; rows another dispatcher is claiming are skipped, never waited for.
 */
export async function claimDue(owner: string, now: Date, until: Date, limit: number): Promise<ClaimedNotification[]> {
  const ids = await db().$queryRaw<Array<{ id: string }>>`
    UPDATE notifications SET status = 'sending', claimed_by = ${owner}, claimed_until = ${until.toISOString()}::timestamptz, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM notifications
      WHERE (status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz)
         OR (status = 'sending' AND claimed_until < ${now.toISOString()}::timestamptz)
      ORDER BY next_attempt_at, created_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  if (ids.length === 0) return [];
  return db().notification.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    include: { channel: { select: { slug: true, kind: true, config: true, secret: true } } },
    orderBy: [{ createdAt: 'asc' }],
  });
}

export interface Settlement {
  status: 'delivered' | 'pending' | 'failed' | 'superseded';
  nextAttemptAt?: Date;
  attempt: { ok: boolean; statusCode: number | null; response: string; ms: number; at: Date } | null;
}

/**
 * Records how a claimed notification went, and its attempt, in one statement, if this process still holds its claim
 * (else another took it over and nothing is written).
 */
export async function settle(id: string, owner: string, settlement: Settlement): Promise<boolean> {
  const deliveredAt = settlement.status === 'delivered' ? (settlement.attempt?.at ?? new Date()).toISOString() : null;
  const nextAttemptAt = settlement.nextAttemptAt?.toISOString() ?? null;
  const attempt = settlement.attempt;
  const rows = await db().$queryRaw<Array<{ id: string }>>`
    WITH settled AS (
      UPDATE notifications SET status = ${settlement.status}, claimed_by = NULL, claimed_until = NULL,
        delivered_at = COALESCE(${deliveredAt}::timestamptz, delivered_at),
        next_attempt_at = COALESCE(${nextAttemptAt}::timestamptz, next_attempt_at)
      WHERE id = ${id}::uuid AND claimed_by = ${owner} AND status = 'sending'
      RETURNING id),
    logged AS (
      INSERT INTO notification_attempts (id, notification_id, at, ok, status_code, response, ms)
      SELECT gen_random_uuid(), settled.id, ${attempt?.at.toISOString() ?? null}::timestamptz, ${attempt?.ok ?? false}, ${attempt?.statusCode ?? null}::int,
             ${attempt?.response ?? ''}, ${attempt?.ms ?? 0}::int
      FROM settled WHERE ${attempt !== null}
      RETURNING notification_id)
    SELECT id FROM settled`;
  return rows.length > 0;
}

/** A newer re-send of the same alert to the same channel waits: an older one need not go. */
export async function hasNewerRepeat(row: Pick<NotificationRow, 'alertEventId' | 'channelId' | 'createdAt'>): Promise<boolean> {
  if (!row.alertEventId) return false;
  const newer = await db().notification.findFirst({
    where: { alertEventId: row.alertEventId, channelId: row.channelId, action: { in: ['repeat', 'resolve'] }, createdAt: { gt: row.createdAt } },
    select: { id: true },
  });
  return newer !== null;
}

/** Notifications still to send (pending or being sent), for the dispatcher's metrics and the tests. */
export async function countUnsent(): Promise<number> {
  return db().notification.count({ where: { status: { in: ['pending', 'sending'] } } });
}

/** Delivered re-sends older than `before` are dropped from the log: they repeat what the trigger said. */
export async function pruneRepeats(before: Date): Promise<number> {
  const { count } = await db().notification.deleteMany({ where: { action: 'repeat', status: { in: ['delivered', 'superseded'] }, createdAt: { lt: before } } });
  return count;
}

/** Silences in force at `at`, with their service and SLO slugs. */
export async function silencesActiveAt(at: Date): Promise<RoutingSilence[]> {
  return db().$queryRaw<RoutingSilence[]>`
    SELECT s.id, s.scope, s.team, sv.slug AS service, sl.slug AS slo, s.starts_at AS "startsAt", s.ends_at AS "endsAt"
    FROM silences s
    LEFT JOIN services sv ON sv.id = s.service_id
    LEFT JOIN slos sl ON sl.id = s.slo_id
    WHERE s.starts_at <= ${at.toISOString()}::timestamptz AND s.ends_at > ${at.toISOString()}::timestamptz`;
}
