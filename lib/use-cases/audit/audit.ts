import { actorId, actorName, authorize, type Actor } from '../../auth/authorize';
import { overviewAnswers } from '../services/overview-cache';
import { principalOf } from '../../auth/permissions';
import { insertAuditEvent, lastServiceIdNamed, listAuditEvents, type AuditFilter, type AuditPosition } from '../../db/audit';
import { findDataSourceBySlug } from '../../db/data-sources';
import { serviceIdBySlug } from '../../db/services';
import { sloIdBySlug } from '../../db/slos';
import type { AuditEvent as AuditEventRow } from '../../db/generated/client';
import { transaction, type Tx } from '../../db/transaction';
import { findUserByUsername } from '../../db/users';
import { AuditEvent, type AuditPage, type AuditQuery, type AuditTargetType } from '../../schemas/index';

/** The client inside a transaction: the entry is written with the change it records. */
export type { Tx };

export interface AuditEntry {
  /** e.g. service.update; the first part is the kind of object. */
  action: string;
  target: { type: AuditTargetType; id: string; name: string; serviceId?: string | null };
  /** The object as the API showed it before and after (null when it did not exist); never a secret. */
  before?: unknown;
  after?: unknown;
  /** What before/after cannot show, e.g. { credentials: 'replaced' }. */
  details?: Record<string, unknown>;
}

/** Writes one entry of the audit trail, in the transaction of the change it describes. */
export async function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry, at = new Date()): Promise<void> {
  await insertAuditEvent(tx, {
    at,
    actorKind: actor.kind,
    actorId: actorId(actor),
    actorName: actorName(actor),
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    targetName: entry.target.name,
    serviceId: entry.target.serviceId ?? null,
    before: entry.before,
    after: entry.after,
    details: entry.details,
    requestId: actor.context?.requestId ?? null,
    ip: actor.context?.ip ?? null,
  });
}

/** A change and its audit entry in one transaction: both are kept, or neither. */
export async function audited<T>(actor: Actor, change: (tx: Tx) => Promise<{ result: T; audit: AuditEntry | AuditEntry[] | null }>): Promise<T> {
  const result = await transaction(async (tx) => {
    const { result, audit } = await change(tx);
    for (const entry of audit === null ? [] : Array.isArray(audit) ? audit : [audit]) await recordAudit(tx, actor, entry);
    return result;
  });
  // Committed: the overview computed before it must not be served again.
  overviewAnswers().invalidate();
  return result;
}

function toAuditEvent(row: AuditEventRow, withAddress: boolean): AuditEvent {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { kind: row.actorKind as AuditEvent['actor']['kind'], id: row.actorId, name: row.actorName },
    action: row.action,
    target: { type: row.targetType as AuditTargetType, id: row.targetId, name: row.targetName },
    before: row.before ?? null,
    after: row.after ?? null,
    details: (row.details as Record<string, unknown> | null) ?? null,
    requestId: row.requestId,
    ...(withAddress ? { ip: row.ip } : {}),
  };
}

/** Where the next page starts: the last entry's time and place in the order of writing. */
function encodeCursor(row: AuditEventRow): string {
  return `${String(row.at.getTime()).padStart(13, '0')}_${row.seq}`;
}

function decodeCursor(cursor: string): AuditPosition {
  const [ms, seq] = cursor.split('_') as [string, string];
  return { at: new Date(Number(ms)), seq: BigInt(seq) };
}

type Scope = Omit<AuditFilter, 'actorName' | 'action' | 'from' | 'to' | 'olderThan' | 'limit'>;

/** Which events an object's history holds: by its id while it exists, else by the name it had (null: none at all). */
async function scope(query: AuditQuery): Promise<{ where: Scope | null; kind: Parameters<typeof authorize>[2] }> {
  if (query.service !== undefined) {
    const service = await serviceIdBySlug(query.service);
    if (query.slo !== undefined) {
      const slo = service ? await sloIdBySlug(service, query.slo) : null;
      const where: Scope = slo ? { targetType: 'slo', targetId: slo } : { targetType: 'slo', targetName: `${query.service}/${query.slo}` };
      return { where, kind: { audit: 'slo' } };
    }
    // Everything the service holds: its SLOs, policy, overrides, embeds and deploys. A deleted service is found
    // by the slug it last had in the trail.
    const serviceId = service ?? (await lastServiceIdNamed(query.service));
    const where: Scope | null = serviceId ? { serviceId } : null;
    return { where: where && query.type ? { ...where, targetType: query.type } : where, kind: { audit: query.type ?? 'service' } };
  }
  if (query.datasource !== undefined) {
    const row = await findDataSourceBySlug(query.datasource);
    return {
      where: row ? { targetType: 'datasource', targetId: row.id } : { targetType: 'datasource', targetName: query.datasource },
      kind: { audit: 'datasource' },
    };
  }
  if (query.user !== undefined) {
    const row = await findUserByUsername(query.user.toLowerCase());
    return { where: row ? { targetType: 'user', targetId: row.id } : { targetType: 'user', targetName: query.user.toLowerCase() }, kind: { audit: 'user' } };
  }
  if (query.token !== undefined) return { where: { targetType: 'token', targetId: query.token }, kind: { audit: 'token' } };
  if (query.policy !== undefined) return { where: { targetType: 'policy', targetId: 'default' }, kind: { audit: 'policy' } };
  return { where: query.type ? { targetType: query.type } : {}, kind: { audit: 'all' } };
}

/** The audit trail, newest first (entries of one millisecond latest written first), a page at a time; who may read which part is decided by authorize. */
export async function listAudit({ actor, query }: { actor: Actor; query: AuditQuery }): Promise<AuditPage> {
  const { where, kind } = await scope(query);
  await authorize(actor, 'audit.read', kind);
  const rows =
    where === null
      ? []
      : await listAuditEvents({
          ...where,
          ...(query.actor ? { actorName: query.actor } : {}),
          ...(query.action ? { action: query.action } : {}),
          ...(query.from ? { from: new Date(query.from) } : {}),
          ...(query.to ? { to: new Date(query.to) } : {}),
          ...(query.cursor ? { olderThan: decodeCursor(query.cursor) } : {}),
          limit: query.limit + 1,
        });
  const page = rows.slice(0, query.limit);
  // Where a change came from is personal data: admins see it, other readers of a history do not.
  const withAddress = principalOf(actor).scopes.has('admin');
  return { events: page.map((row) => toAuditEvent(row, withAddress)), nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!) : null };
}
