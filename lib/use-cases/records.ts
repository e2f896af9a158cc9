import { sloWindowRange, defaultAlertTiers } from '../slo';
import { db } from '../db/client';
import type { Service as ServiceRow, Slo as SloRow } from '../db/generated/client';
import { NotFoundError } from '../errors';
import { AlertPolicyInput, Budgeting, Labels, SliSpec, SloWindow, type AlertTier, type Service, type Slo } from '../schemas';

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
  /** A tier fires, and the gate judges the budget, only with at least this many events in the window. */
  minEvents: number;
  labels: Labels;
  createdAt: Date;
  updatedAt: Date;
}

export function toService(row: ServiceRow): Service {
  return {
    slug: row.slug,
    name: row.name,
    ownerTeam: row.ownerTeam,
    tier: row.tier,
    description: row.description,
    links: {
      runbook: row.runbookUrl ?? undefined,
      repository: row.repositoryUrl ?? undefined,
      dashboard: row.dashboardUrl ?? undefined,
      onCall: row.onCallUrl ?? undefined,
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** JSON columns are parsed with the same schemas that admitted them, so a corrupt row fails loudly here. */
export function toSloRecord(row: SloRow, serviceSlug: string): SloRecord {
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
    customTiers: row.alertPolicy === null ? null : AlertPolicyInput.parse(row.alertPolicy).tiers,
    minEvents: row.minEvents,
    labels: Labels.parse(row.labels),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The tiers in force: the SLO's own, or the default four scaled to its period at `asOf`. */
export function effectiveTiers(slo: Pick<SloRecord, 'customTiers' | 'window'>, asOf: Date): AlertTier[] {
  return slo.customTiers ?? defaultAlertTiers(sloWindowRange(slo.window, asOf).periodMinutes);
}

export function toSlo(slo: SloRecord, asOf = new Date()): Slo {
  return {
    service: slo.serviceSlug,
    slug: slo.slug,
    name: slo.name,
    description: slo.description,
    objective: slo.objective,
    window: slo.window,
    budgeting: slo.budgeting,
    sli: slo.sli,
    alertPolicy: { isDefault: slo.customTiers === null, tiers: effectiveTiers(slo, asOf) },
    minEvents: slo.minEvents,
    labels: slo.labels,
    createdAt: slo.createdAt.toISOString(),
    updatedAt: slo.updatedAt.toISOString(),
  };
}

export async function findServiceRow(slug: string): Promise<ServiceRow> {
  const row = await db().service.findUnique({ where: { slug } });
  if (!row) throw new NotFoundError(`Service "${slug}" does not exist`);
  return row;
}

export async function findSloRecord(serviceSlug: string, sloSlug: string): Promise<SloRecord> {
  const service = await findServiceRow(serviceSlug);
  const row = await db().slo.findUnique({ where: { serviceId_slug: { serviceId: service.id, slug: sloSlug } } });
  if (!row) throw new NotFoundError(`SLO "${sloSlug}" does not exist in service "${serviceSlug}"`);
  return toSloRecord(row, service.slug);
}

/** What authorize() needs to know of a service: its slug and the team that owns it. */
export function serviceScope(row: Pick<ServiceRow, 'slug' | 'ownerTeam'>, slo?: string): { service: string; team: string; slo?: string } {
  return { service: row.slug, team: row.ownerTeam, ...(slo !== undefined ? { slo } : {}) };
}

/** How the audit trail names a service and the things it holds. */
export function serviceTarget(row: Pick<ServiceRow, 'id' | 'slug'>): { type: 'service'; id: string; name: string; serviceId: string } {
  return { type: 'service', id: row.id, name: row.slug, serviceId: row.id };
}

export function sloTarget(service: Pick<ServiceRow, 'id' | 'slug'>, slo: { id: string; slug: string }): { type: 'slo'; id: string; name: string; serviceId: string } {
  return { type: 'slo', id: slo.id, name: `${service.slug}/${slo.slug}`, serviceId: service.id };
}
