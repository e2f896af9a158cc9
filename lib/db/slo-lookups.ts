import { db } from './client';
import type { Slo as SloRow } from './generated/client';

// Reads of services and SLOs that audit, embeds, gates, users and the demo seed need. They belong with the services
// and SLO repositories; they wait here until those exist. The id lookups answer null rather than refusing: an audit
// history outlives its object, and an embed's use-case says itself which part was not found.

/** The id of the service with this slug now, if there is one. */
export async function serviceIdBySlug(slug: string): Promise<string | null> {
  return (await db().service.findUnique({ where: { slug }, select: { id: true } }))?.id ?? null;
}

/** The id of the SLO with this slug in the service now, if there is one. */
export async function sloIdBySlug(serviceId: string, slug: string): Promise<string | null> {
  return (await db().slo.findUnique({ where: { serviceId_slug: { serviceId, slug } }, select: { id: true } }))?.id ?? null;
}

/** The service's SLOs, by name. */
export function listSlosByName(serviceId: string): Promise<SloRow[]> {
  return db().slo.findMany({ where: { serviceId }, orderBy: { name: 'asc' } });
}

/** The service's SLOs, by slug. */
export function listSlosBySlug(serviceId: string): Promise<SloRow[]> {
  return db().slo.findMany({ where: { serviceId }, orderBy: { slug: 'asc' } });
}

/** Until when each SLO's figures have been read (its evaluation's freshUntil), by SLO id; SLOs never evaluated are left out. */
export async function freshUntilOfSlos(sloIds: string[]): Promise<Map<string, Date | null>> {
  const rows = await db().sloEvaluation.findMany({ where: { sloId: { in: sloIds } }, select: { sloId: true, freshUntil: true } });
  return new Map(rows.map((r) => [r.sloId, r.freshUntil]));
}

/** Every team that owns a service. */
export async function serviceOwnerTeams(): Promise<string[]> {
  return (await db().service.findMany({ select: { ownerTeam: true }, distinct: ['ownerTeam'] })).map((s) => s.ownerTeam);
}

/** How many services there are. */
export function countAllServices(): Promise<number> {
  return db().service.count();
}
