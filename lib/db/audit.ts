import { db } from './client';
import { Prisma, type AuditEvent as AuditEventRow } from './generated/client';
import type { Tx } from './transaction';

/** One entry of the audit trail as written: before, after and details are stored as JSON (null or undefined: none). */
export interface NewAuditEvent {
  at: Date;
  actorKind: string;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  targetName: string;
  serviceId: string | null;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
  requestId: string | null;
  ip: string | null;
}

function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === undefined || value === null ? Prisma.DbNull : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

/** Writes one entry, in the transaction of the change it describes. */
export async function insertAuditEvent(tx: Tx, event: NewAuditEvent): Promise<void> {
  await tx.auditEvent.create({ data: { ...event, before: json(event.before), after: json(event.after), details: json(event.details) } });
}

/** A place in the trail's order: entries written at the same millisecond are told apart by seq. */
export interface AuditPosition {
  at: Date;
  seq: bigint;
}

/** Which entries to list; every field given must match. */
export interface AuditFilter {
  targetType?: string;
  targetId?: string;
  targetName?: string;
  serviceId?: string;
  actorName?: string;
  action?: string;
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
  /** Only entries older than this place (the next page). */
  olderThan?: AuditPosition;
  limit: number;
}

/** Entries matching the filter, newest first (entries of one millisecond latest written first), at most `limit`. */
export function listAuditEvents(filter: AuditFilter): Promise<AuditEventRow[]> {
  const { limit, olderThan, from, to, ...equal } = filter;
  const where: Prisma.AuditEventWhereInput[] = [Object.fromEntries(Object.entries(equal).filter(([, value]) => value !== undefined))];
  if (from) where.push({ at: { gte: from } });
  if (to) where.push({ at: { lt: to } });
  if (olderThan) where.push({ OR: [{ at: { lt: olderThan.at } }, { at: olderThan.at, seq: { lt: olderThan.seq } }] });
  return db().auditEvent.findMany({ where: { AND: where }, orderBy: [{ at: 'desc' }, { seq: 'desc' }], take: limit });
}

/** The service a service entry named `slug` belongs to, from the latest such entry: how a deleted service's history is found. */
export async function lastServiceIdNamed(slug: string): Promise<string | null> {
  const row = await db().auditEvent.findFirst({ where: { targetType: 'service', targetName: slug }, orderBy: { at: 'desc' }, select: { serviceId: true } });
  return row?.serviceId ?? null;
}
