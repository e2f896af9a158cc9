import { db } from './client';
import type { Silence as SilenceRow } from './generated/client';
import type { Tx } from './transaction';

/** A silence with the slugs of what it holds (silences keep ids; a deleted service or SLO leaves null). */
export type SilenceWithNames = SilenceRow & { serviceSlug: string | null; sloSlug: string | null };

async function withNames(rows: SilenceRow[]): Promise<SilenceWithNames[]> {
  const serviceIds = [...new Set(rows.flatMap((r) => (r.serviceId ? [r.serviceId] : [])))];
  const sloIds = [...new Set(rows.flatMap((r) => (r.sloId ? [r.sloId] : [])))];
  const [services, slos] = await Promise.all([
    serviceIds.length ? db().service.findMany({ where: { id: { in: serviceIds } }, select: { id: true, slug: true } }) : [],
    sloIds.length ? db().slo.findMany({ where: { id: { in: sloIds } }, select: { id: true, slug: true } }) : [],
  ]);
  const service = new Map(services.map((s) => [s.id, s.slug]));
  const slo = new Map(slos.map((s) => [s.id, s.slug]));
  return rows.map((r) => ({
    ...r,
    serviceSlug: r.serviceId ? (service.get(r.serviceId) ?? null) : null,
    sloSlug: r.sloId ? (slo.get(r.sloId) ?? null) : null,
  }));
}

/**
 * Silences by when they end: active ones (started, not yet ended at `at`), past ones (ended), or all, newest
 * first, at most `limit`.
 */
export async function listSilenceRows(filter: { state: 'active' | 'past' | 'all'; at: Date; team?: string; limit?: number }): Promise<SilenceWithNames[]> {
  const when =
    filter.state === 'active' ? { startsAt: { lte: filter.at }, endsAt: { gt: filter.at } } : filter.state === 'past' ? { endsAt: { lte: filter.at } } : {};
  const rows = await db().silence.findMany({
    where: { ...when, ...(filter.team === undefined ? {} : { team: filter.team }) },
    orderBy: [{ endsAt: 'desc' }, { id: 'asc' }],
    take: filter.limit ?? 500,
  });
  return withNames(rows);
}

/** Silences not yet over at `at` (active or still to start) that could hold this team's or service's alerts. */
export async function listSilencesTouching(team: string, serviceId: string, at: Date): Promise<SilenceWithNames[]> {
  const rows = await db().silence.findMany({
    where: { endsAt: { gt: at }, OR: [{ scope: 'team', team }, { serviceId }] },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
  return withNames(rows);
}

export async function findSilenceRow(id: string): Promise<SilenceWithNames | null> {
  const row = await db().silence.findUnique({ where: { id } });
  return row ? (await withNames([row]))[0]! : null;
}

export interface SilenceColumns {
  scope: string;
  team: string;
  serviceId: string | null;
  sloId: string | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdBy: string;
}

export async function insertSilence(tx: Tx, columns: SilenceColumns): Promise<SilenceRow> {
  return tx.silence.create({ data: columns });
}

/** Ends the silence now: `endsAt` becomes `at` (and a silence yet to start starts then too, so it never held anything). */
export function endSilenceRow(tx: Tx, id: string, span: { startsAt: Date; endsAt: Date }): Promise<SilenceRow> {
  return tx.silence.update({ where: { id }, data: span });
}
