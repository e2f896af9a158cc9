import type { Prisma } from './generated/client';
import type { Tx } from './transaction';

/** A service with its SLOs as `umpire apply` compares them (docs/gitops.md). */
export type CatalogRow = Prisma.ServiceGetPayload<{ include: { slos: true } }>;

/** Who manages an object from git; null clears the mark. */
export interface ManagedMark {
  source: string;
  path: string | null;
}

/**
 * Serialises applies: inside an apply's transaction, the second of two waits until the first has committed and
 * then plans against what it wrote, so the same file applied twice at once changes the catalogue once.
 */
export async function lockCatalog(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('umpire.catalog.apply'))::text`;
}

/** Every service with its SLOs, as the transaction sees them. */
export function readCatalog(tx: Tx): Promise<CatalogRow[]> {
  return tx.service.findMany({ include: { slos: true }, orderBy: { slug: 'asc' } });
}

export async function markServiceManaged(tx: Tx, id: string, mark: ManagedMark | null): Promise<void> {
  await tx.service.update({ where: { id }, data: { managedSource: mark?.source ?? null, managedPath: mark?.path ?? null } });
}

export async function markSloManaged(tx: Tx, id: string, mark: ManagedMark | null): Promise<void> {
  await tx.slo.update({ where: { id }, data: { managedSource: mark?.source ?? null, managedPath: mark?.path ?? null } });
}

/** A notification route with its channel, as apply compares OpenSLO notification targets with it. */
export type CatalogRoute = Prisma.NotificationRouteGetPayload<{ include: { channel: { select: { id: true; slug: true; kind: true } } } }>;

/** Every notification route, and every channel by slug, as the transaction sees them. */
export async function readRouting(tx: Tx): Promise<{ routes: CatalogRoute[]; channels: Map<string, { id: string; kind: string }> }> {
  const [routes, channels] = await Promise.all([
    tx.notificationRoute.findMany({ include: { channel: { select: { id: true, slug: true, kind: true } } }, orderBy: { createdAt: 'asc' } }),
    tx.notificationChannel.findMany({ select: { id: true, slug: true, kind: true } }),
  ]);
  return { routes, channels: new Map(channels.map((c) => [c.slug, { id: c.id, kind: c.kind }])) };
}

export async function markRouteManaged(tx: Tx, id: string, mark: ManagedMark | null): Promise<void> {
  await tx.notificationRoute.update({ where: { id }, data: { managedSource: mark?.source ?? null, managedPath: mark?.path ?? null } });
}

/** Forgets an SLO's buckets and evaluation row inside the caller's transaction (its SLI changed). */
export async function deleteSloHistoryIn(tx: Tx, sloId: string): Promise<void> {
  await tx.sliBucket.deleteMany({ where: { sloId } });
  await tx.sloEvaluation.deleteMany({ where: { sloId } });
}
