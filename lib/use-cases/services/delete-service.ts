import { actorName, authorize, type Actor } from '../../auth/authorize';
import { log } from '../../log';
import { audited } from '../audit/audit';
import { invalidateOtelSloIndex } from '../ingest/otel-slo-index';
import { deleteServiceRow, findServiceBySlug } from '../../db/services';
import { listSloSlugsOfService } from '../../db/slos';
import { managedUnder } from '../../db/catalog';
import { handEdit } from '../catalog/managed-edits';
import { managedByOf, serviceScope, serviceTarget, toService } from './service-view';

/** Deletes a service with its SLOs and their buckets (the foreign keys cascade); the audit trail keeps its history. */
export async function deleteService({ actor, service }: { actor: Actor; service: string }): Promise<void> {
  const row = await findServiceBySlug(service);
  await authorize(actor, 'service.delete', serviceScope(row));
  // Deleting it deletes what git manages under it too (its SLOs, their routes).
  const under = await managedUnder(row.id, row.slug);
  const managed =
    handEdit(managedByOf(row), `Service "${service}"`) ??
    (under ? handEdit({ source: under.source, path: under.path }, `Service "${service}" (${under.what})`) : undefined);
  const slos = await audited(actor, async (tx) => {
    const slugs = await listSloSlugsOfService(tx, row.id);
    await deleteServiceRow(tx, row.id);
    return {
      result: slugs.length,
      audit: { action: 'service.delete', target: serviceTarget(row), before: toService(row), after: null, details: { slosDeleted: slugs, ...managed } },
    };
  });
  invalidateOtelSloIndex();
  log.info('service.deleted', { service, slosDeleted: slos, by: actorName(actor) });
}
