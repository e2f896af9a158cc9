import { actorName, authorize, type Actor } from '../../auth/authorize';
import { log } from '../../log';
import { audited } from '../audit/audit';
import { invalidateOtelSloIndex } from '../ingest/otel-slo-index';
import { findServiceBySlug } from '../../db/services';
import { deleteSloRow, findSloRecord } from '../../db/slos';
import { serviceScope } from '../services/service-view';
import { sloTarget, toSlo } from './slo-view';
import { kindOf } from '../../sources/registry';
import { handEdit } from '../catalog/managed-edits';

/** Deletes an SLO and its buckets (the foreign key cascades); the audit trail keeps its last definition. */
export async function deleteSlo({ actor, service, slo }: { actor: Actor; service: string; slo: string }): Promise<void> {
  const serviceRow = await findServiceBySlug(service);
  await authorize(actor, 'slo.delete', serviceScope(serviceRow, slo));
  const record = await findSloRecord(service, slo);
  const managed = handEdit(record.managedBy, `SLO "${service}/${slo}"`);
  await audited(actor, async (tx) => {
    await deleteSloRow(tx, record.id);
    return { result: null, audit: { action: 'slo.delete', target: sloTarget(serviceRow, record), before: toSlo(record), after: null, details: managed } };
  });
  kindOf(record.sli).onSloChanged?.({ invalidateOtelSloIndex });
  log.info('slo.deleted', { service, slo, by: actorName(actor) });
}
