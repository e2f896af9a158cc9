import type { Service as ServiceRow } from '../../db/generated/client';
import type { ServiceColumns } from '../../db/services';
import type { ManagedBy, Service, ServiceInput } from '../../schemas';

/** A service as the API returns it. */
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
    managedBy: managedByOf(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Who manages a row from git, as the API shows it (null: made by hand). */
export function managedByOf(row: { managedSource: string | null; managedPath: string | null }): ManagedBy | null {
  return row.managedSource === null ? null : { source: row.managedSource, path: row.managedPath };
}

/** What authorize() needs to know of a service: its slug and the team that owns it. */
export function serviceScope(row: Pick<ServiceRow, 'slug' | 'ownerTeam'>, slo?: string): { service: string; team: string; slo?: string } {
  return { service: row.slug, team: row.ownerTeam, ...(slo !== undefined ? { slo } : {}) };
}

/** How the audit trail names a service and the things it holds. */
export function serviceTarget(row: Pick<ServiceRow, 'id' | 'slug'>): { type: 'service'; id: string; name: string; serviceId: string } {
  return { type: 'service', id: row.id, name: row.slug, serviceId: row.id };
}

/** The columns a service is stored with, from its input (a link left out is stored as none). */
export function serviceColumnsOf(input: ServiceInput): ServiceColumns {
  return {
    slug: input.slug,
    name: input.name,
    ownerTeam: input.ownerTeam,
    tier: input.tier,
    description: input.description,
    runbookUrl: input.links.runbook ?? null,
    repositoryUrl: input.links.repository ?? null,
    dashboardUrl: input.links.dashboard ?? null,
    onCallUrl: input.links.onCall ?? null,
  };
}
