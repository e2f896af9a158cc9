import { db } from './client';
import type { EmbedToken as EmbedTokenRow, Service as ServiceRow, Slo as SloRow } from './generated/client';
import type { Tx } from './transaction';

/** An embed link's row with the service and SLO it shows. */
export type EmbedRow = EmbedTokenRow & { service: ServiceRow; slo: SloRow | null };

const withTargets = { service: true, slo: true } as const;

export function insertEmbed(tx: Tx, columns: Pick<EmbedTokenRow, 'serviceId' | 'sloId' | 'panel' | 'label' | 'createdAt' | 'expiresAt'>): Promise<EmbedRow> {
  return tx.embedToken.create({ data: columns, include: withTargets });
}

/** The service's embed links (only those of one SLO, given its slug), newest first, at most 200. */
export function listEmbedsOfService(serviceId: string, sloSlug?: string): Promise<EmbedRow[]> {
  return db().embedToken.findMany({
    where: { serviceId, ...(sloSlug ? { slo: { slug: sloSlug } } : {}) },
    include: withTargets,
    orderBy: { createdAt: 'desc' },
    take: 200,
  });
}

export function findEmbedById(id: string): Promise<EmbedRow | null> {
  return db().embedToken.findUnique({ where: { id }, include: withTargets });
}

export function revokeEmbedRow(tx: Tx, id: string, at: Date): Promise<EmbedRow> {
  return tx.embedToken.update({ where: { id }, data: { revokedAt: at }, include: withTargets });
}
