import { actorName, authorize, type Actor } from '../../auth/authorize';
import { findServiceBySlug, updateServiceRow } from '../../db/services';
import { ConflictError, prismaErrorCode } from '../../errors';
import { log } from '../../log';
import type { Service, ServicePatch } from '../../schemas/index';
import { audited } from '../audit/audit';
import { invalidateOtelSloIndex } from '../ingest/otel-slo-index';
import { managedUnder } from '../../db/catalog';
import { handEdit } from '../catalog/managed-edits';
import { managedByOf, serviceScope, serviceTarget, toService } from './service-view';

export async function updateService({ actor, service, patch }: { actor: Actor; service: string; patch: ServicePatch }): Promise<Service> {
  const existing = await findServiceBySlug(service);
  await authorize(actor, 'service.update', serviceScope(existing));
  // Handing a service to another team needs the right to create services for that team as well.
  if (patch.ownerTeam !== undefined && patch.ownerTeam !== existing.ownerTeam) {
    await authorize(actor, 'service.update', { service, team: patch.ownerTeam });
  }
  let managed = handEdit(managedByOf(existing), `Service "${service}"`);
  // Renaming it or handing it to another team changes what git manages under it (its SLOs, their routes).
  if ((patch.slug !== undefined && patch.slug !== existing.slug) || (patch.ownerTeam !== undefined && patch.ownerTeam !== existing.ownerTeam)) {
    const under = await managedUnder(existing.id, existing.slug);
    if (under) managed = handEdit({ source: under.source, path: under.path }, `Service "${service}" (${under.what})`) ?? managed;
  }
  try {
    const updated = await audited(actor, async (tx) => {
      const row = await updateServiceRow(tx, existing.id, {
        slug: patch.slug,
        name: patch.name,
        ownerTeam: patch.ownerTeam,
        tier: patch.tier,
        description: patch.description,
        ...(patch.links
          ? {
              runbookUrl: patch.links.runbook ?? null,
              repositoryUrl: patch.links.repository ?? null,
              dashboardUrl: patch.links.dashboard ?? null,
              onCallUrl: patch.links.onCall ?? null,
            }
          : {}),
      });
      const after = toService(row);
      return { result: after, audit: { action: 'service.update', target: serviceTarget(row), before: toService(existing), after, details: managed } };
    });
    // Ingest tokens are bound to teams, and refusals name the service: its OpenTelemetry SLOs are looked up again.
    if (updated.ownerTeam !== existing.ownerTeam || updated.slug !== existing.slug) invalidateOtelSloIndex();
    log.info('service.updated', { service: updated.slug, previousSlug: service, fields: Object.keys(patch), by: actorName(actor) });
    return updated;
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') {
      throw new ConflictError(`A service with slug "${patch.slug}" already exists`, { slug: 'is already taken' });
    }
    throw error;
  }
}
