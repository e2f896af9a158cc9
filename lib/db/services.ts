import { NotFoundError } from '../errors';
import type { ServiceFilter } from '../schemas';
import { db } from './client';
import type { Prisma, Service as ServiceRow } from './generated/client';
import type { Tx } from './transaction';

/** The columns a service is created or changed with. */
export type ServiceColumns = Pick<
  ServiceRow,
  'slug' | 'name' | 'ownerTeam' | 'tier' | 'description' | 'runbookUrl' | 'repositoryUrl' | 'dashboardUrl' | 'onCallUrl'
>;

/** The service's row; a NotFoundError when there is none. */
export async function findServiceBySlug(slug: string): Promise<ServiceRow> {
  const row = await db().service.findUnique({ where: { slug } });
  if (!row) throw new NotFoundError(`Service "${slug}" does not exist`);
  return row;
}

export function insertService(tx: Tx, columns: ServiceColumns): Promise<ServiceRow> {
  return tx.service.create({ data: columns });
}

/** Changes the columns given; an undefined column is left as it is. */
export function updateServiceRow(tx: Tx, id: string, columns: { [K in keyof ServiceColumns]?: ServiceColumns[K] | undefined }): Promise<ServiceRow> {
  return tx.service.update({ where: { id }, data: columns });
}

/** Deletes the service; its SLOs and their buckets go with it (the foreign keys cascade). */
export async function deleteServiceRow(tx: Tx, id: string): Promise<void> {
  await tx.service.delete({ where: { id } });
}

function serviceWhere(filter: Pick<ServiceFilter, 'team' | 'tier' | 'q'>): Prisma.ServiceWhereInput {
  const q = filter.q?.trim();
  return {
    ...(filter.team ? { ownerTeam: filter.team } : {}),
    ...(filter.tier ? { tier: filter.tier } : {}),
    ...(q
      ? {
          OR: [
            { name: { contains: q, mode: 'insensitive' } },
            { slug: { contains: q, mode: 'insensitive' } },
            { ownerTeam: { contains: q, mode: 'insensitive' } },
            { description: { contains: q, mode: 'insensitive' } },
          ],
        }
      : {}),
  };
}

/** The services matching the filter, by name, each with its SLOs (their figures come from slo_states, read apart). */
export function listServicesWithSlos(filter: Pick<ServiceFilter, 'team' | 'tier' | 'q'> & { ids?: readonly string[] }) {
  return db().service.findMany({
    where: { ...serviceWhere(filter), ...(filter.ids ? { id: { in: [...filter.ids] } } : {}) },
    include: { slos: true },
    orderBy: { name: 'asc' },
  });
}

/** The ids of every service (or of those holding any of the given SLOs), by name. */
export async function listServiceIds(sloIds?: readonly string[]): Promise<string[]> {
  const rows = await db().service.findMany({
    where: sloIds ? { slos: { some: { id: { in: [...sloIds] } } } } : {},
    select: { id: true },
    orderBy: { name: 'asc' },
  });
  return rows.map((r) => r.id);
}

/** The services matching the filter, by name, without their SLOs. */
export function listServiceRows(filter: Pick<ServiceFilter, 'team' | 'tier' | 'q'>): Promise<ServiceRow[]> {
  return db().service.findMany({ where: serviceWhere(filter), orderBy: { name: 'asc' } });
}

/** Every owner team, in order. */
export async function listOwnerTeams(): Promise<string[]> {
  const rows = await db().service.findMany({ distinct: ['ownerTeam'], select: { ownerTeam: true }, orderBy: { ownerTeam: 'asc' } });
  return rows.map((r) => r.ownerTeam);
}

/** The id of the service with this slug now, if there is one. */
export async function serviceIdBySlug(slug: string): Promise<string | null> {
  return (await db().service.findUnique({ where: { slug }, select: { id: true } }))?.id ?? null;
}

/** How many services there are (inside the caller's transaction when given one). */
export function countServices(tx?: Tx): Promise<number> {
  return (tx ?? db()).service.count();
}
