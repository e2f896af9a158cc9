import { isDeepStrictEqual } from 'node:util';
import { actorName, authorize, type Actor } from '../../auth/authorize';
import { ConflictError, prismaErrorCode } from '../../errors';
import { log } from '../../log';
import type { Slo, SloPatch } from '../../schemas/index';
import { audited } from '../audit/audit';
import { findServiceBySlug } from '../../db/services';
import { findSloRecord, toSloRecord, updateSloRow } from '../../db/slos';
import { serviceScope } from '../services/service-view';
import { sloTarget, toSlo } from './slo-view';
import { requestEvaluation } from '../evaluation/requests';
import { invalidateOtelSloIndex } from '../ingest/otel-slo-index';
import { kindOf } from '../../sources/registry';
import { resetSloHistory } from '../evaluation/evaluate-slo';
import { validateSli } from './validate-sli';
import { handEdit } from '../catalog/managed-edits';

export async function updateSlo({ actor, service, slo, patch }: { actor: Actor; service: string; slo: string; patch: SloPatch }): Promise<Slo> {
  const serviceRow = await findServiceBySlug(service);
  await authorize(actor, 'slo.update', serviceScope(serviceRow, slo));
  const existing = await findSloRecord(service, slo);
  const managed = handEdit(existing.managedBy, `SLO "${service}/${slo}"`);
  if (patch.sli) await validateSli(patch.sli);
  let row;
  try {
    row = await audited(actor, async (tx) => {
      const updated = await updateSloRow(tx, existing.id, {
        slug: patch.slug,
        name: patch.name,
        description: patch.description,
        objective: patch.objective,
        window: patch.window,
        budgeting: patch.budgeting,
        sli: patch.sli,
        alertPolicy: patch.alertPolicy,
        labels: patch.labels,
        minEvents: patch.minEvents,
      });
      const after = toSlo(toSloRecord(updated, serviceRow.slug));
      return { result: updated, audit: { action: 'slo.update', target: sloTarget(serviceRow, updated), before: toSlo(existing), after, details: managed } };
    });
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') {
      throw new ConflictError(`Service "${service}" already has an SLO with slug "${patch.slug}"`, { slug: 'is already taken' });
    }
    throw error;
  }
  const record = toSloRecord(row, service);
  // Once per kind, the SLI's new kind and the one it had: an SLO may move from one kind to another.
  for (const kind of new Set([kindOf(record.sli), kindOf(existing.sli)])) kind.onSloChanged?.({ invalidateOtelSloIndex });
  // Buckets hold what the old SLI measured; a different SLI needs its own history.
  const sliChanged = patch.sli !== undefined && !isDeepStrictEqual(patch.sli, existing.sli);
  if (sliChanged) {
    await resetSloHistory(record.id);
    // Filled again in the background, as at creation (create-slo.ts).
    if (!kindOf(record.sli).pushed) requestEvaluation(record.id);
  }
  log.info('slo.updated', { service, slo: record.slug, previousSlug: slo, fields: Object.keys(patch), sliChanged, by: actorName(actor) });
  return toSlo(record);
}
