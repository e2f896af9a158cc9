import { db } from './client';
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

/** A notification target's route follows its service's team and its file. */
export async function updateTargetRoute(tx: Tx, id: string, { team, mark }: { team: string; mark: ManagedMark | null }): Promise<void> {
  await tx.notificationRoute.update({ where: { id }, data: { team, managedSource: mark?.source ?? null, managedPath: mark?.path ?? null } });
}

/** Forgets an SLO's buckets and evaluation row inside the caller's transaction (its SLI changed). */
export async function deleteSloHistoryIn(tx: Tx, sloId: string): Promise<void> {
  await tx.sliBucket.deleteMany({ where: { sloId } });
  await tx.sloEvaluation.deleteMany({ where: { sloId } });
}

/** The first SLO of the service, or route naming it, that a source manages (a hand edit of the service reaches them). */
export async function managedUnder(serviceId: string, serviceSlug: string): Promise<{ what: string; source: string; path: string | null } | null> {
  const slo = await db().slo.findFirst({
    where: { serviceId, managedSource: { not: null } },
    select: { slug: true, managedSource: true, managedPath: true },
    orderBy: { slug: 'asc' },
  });
  if (slo) return { what: `its SLO "${slo.slug}"`, source: slo.managedSource!, path: slo.managedPath };
  const route = await db().notificationRoute.findFirst({
    where: { services: { has: serviceSlug }, managedSource: { not: null } },
    select: { managedSource: true, managedPath: true },
  });
  return route ? { what: 'a notification route of it', source: route.managedSource!, path: route.managedPath } : null;
}

/**
 * Inside a prune: locks the service row (a concurrent SLO insert waits on it) and counts the SLOs it holds that the
 * source does not manage, made since the plan was read.
 */
export async function lockServiceForPrune(tx: Tx, serviceId: string, source: string): Promise<number> {
  await tx.$queryRaw`SELECT id FROM services WHERE id = ${serviceId}::uuid FOR UPDATE`;
  return tx.slo.count({ where: { serviceId, OR: [{ managedSource: null }, { managedSource: { not: source } }] } });
}
