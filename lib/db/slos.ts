import { NotFoundError } from '../errors';
import { AlertPolicyInput, Budgeting, Labels, SliSpec, SloWindow, type AlertPolicyInput as AlertPolicy, type AlertTier } from '../schemas';
import { db, Prisma } from './client';
import type { Slo as SloRow } from './generated/client';
import { findServiceBySlug } from './services';
import type { Tx } from './transaction';

/** An SLO row with its JSON columns parsed: what the use-cases compute with. */
export interface SloRecord {
  id: string;
  serviceSlug: string;
  slug: string;
  name: string;
  description: string;
  objective: number;
  window: SloWindow;
  budgeting: Budgeting;
  sli: SliSpec;
  customTiers: AlertTier[] | null;
  /** The SLO's own budget-low share (null: none) and absent delay; undefined: the installation's. */
  alertSettings: { budgetLowShare?: number | null; absentMinutes?: number };
  /** A tier fires, and the gate judges the budget, only with at least this many events in the window. */
  minEvents: number;
  labels: Labels;
  /** The source and file that manage it from git (`umpire apply`); null when made by hand. */
  managedBy: { source: string; path: string | null } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** JSON columns are parsed with the same schemas that admitted them, so a corrupt row fails loudly here. */
export function toSloRecord(row: SloRow, serviceSlug: string): SloRecord {
  const policy = row.alertPolicy === null ? null : AlertPolicyInput.parse(row.alertPolicy);
  return {
    id: row.id,
    serviceSlug,
    slug: row.slug,
    name: row.name,
    description: row.description,
    objective: row.objective,
    window: SloWindow.parse(row.window),
    budgeting: Budgeting.parse(row.budgeting),
    sli: SliSpec.parse(row.sli),
    customTiers: policy?.tiers ?? null,
    alertSettings: {
      ...(policy?.budgetLowShare !== undefined ? { budgetLowShare: policy.budgetLowShare } : {}),
      ...(policy?.absentMinutes !== undefined ? { absentMinutes: policy.absentMinutes } : {}),
    },
    minEvents: row.minEvents,
    labels: Labels.parse(row.labels),
    managedBy: row.managedSource === null ? null : { source: row.managedSource, path: row.managedPath },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The SLO of the service, parsed; a NotFoundError when either is missing. */
export async function findSloRecord(serviceSlug: string, sloSlug: string): Promise<SloRecord> {
  const service = await findServiceBySlug(serviceSlug);
  const row = await db().slo.findUnique({ where: { serviceId_slug: { serviceId: service.id, slug: sloSlug } } });
  if (!row) throw new NotFoundError(`SLO "${sloSlug}" does not exist in service "${serviceSlug}"`);
  return toSloRecord(row, service.slug);
}

/** The service's SLOs, by slug. */
export function listSlosOfService(serviceId: string): Promise<SloRow[]> {
  return db().slo.findMany({ where: { serviceId }, orderBy: { slug: 'asc' } });
}

export async function listSloSlugsOfService(tx: Tx, serviceId: string): Promise<string[]> {
  return (await tx.slo.findMany({ where: { serviceId }, select: { slug: true } })).map((s) => s.slug);
}

/** The columns an SLO is created with. */
export interface SloColumns {
  serviceId: string;
  slug: string;
  name: string;
  description: string;
  objective: number;
  window: SloWindow;
  budgeting: Budgeting;
  sli: SliSpec;
  /** Absent: the default tiers. */
  alertPolicy: AlertPolicy | undefined;
  minEvents: number;
  labels: Labels;
}

export function insertSlo(tx: Tx, columns: SloColumns): Promise<SloRow> {
  return tx.slo.create({ data: columns });
}

/** What an SLO's change may set; an undefined field is left as it is, a null alertPolicy goes back to the default tiers. */
export type SloChanges = { [K in Exclude<keyof SloColumns, 'serviceId' | 'alertPolicy'>]?: SloColumns[K] | undefined } & {
  alertPolicy?: AlertPolicy | null | undefined;
};

export function updateSloRow(tx: Tx, id: string, { alertPolicy, ...changes }: SloChanges): Promise<SloRow> {
  return tx.slo.update({
    where: { id },
    data: { ...changes, alertPolicy: alertPolicy === undefined ? undefined : alertPolicy === null ? Prisma.DbNull : alertPolicy },
  });
}

/** Deletes the SLO; its buckets and evaluation go with it (the foreign keys cascade). */
export async function deleteSloRow(tx: Tx, id: string): Promise<void> {
  await tx.slo.delete({ where: { id } });
}

/** The SLOs the evaluator reads (all but those of the pushed kinds), or those of them given; by id, with their service's slug. */
export function listPulledSlos(pushedKinds: readonly string[], sloIds?: string[]): Promise<Array<SloRow & { service: { slug: string } }>> {
  return db().slo.findMany({
    where: { ...(sloIds ? { id: { in: sloIds } } : {}), NOT: pushedKinds.map((kind) => ({ sli: { path: ['source'], equals: kind } })) },
    include: { service: { select: { slug: true } } },
    orderBy: { id: 'asc' },
  });
}

/** The id of the SLO with this slug in the service now, if there is one. */
export async function sloIdBySlug(serviceId: string, slug: string): Promise<string | null> {
  return (await db().slo.findUnique({ where: { serviceId_slug: { serviceId, slug } }, select: { id: true } }))?.id ?? null;
}

/** The service's SLOs, by name. */
export function listSlosByName(serviceId: string): Promise<SloRow[]> {
  return db().slo.findMany({ where: { serviceId }, orderBy: { name: 'asc' } });
}

/** Every SLO (or the given ones) with its service and evaluation row, in id order: what the state recorder reads. */
export function listSlosForStates(sloIds?: readonly string[]) {
  return db().slo.findMany({
    where: sloIds ? { id: { in: [...sloIds] } } : {},
    include: {
      evaluation: true,
      service: { select: { id: true, slug: true, name: true, ownerTeam: true, runbookUrl: true, dashboardUrl: true } },
    },
    orderBy: { id: 'asc' },
  });
}
export type SloForState = Awaited<ReturnType<typeof listSlosForStates>>[number];
