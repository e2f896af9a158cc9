import { actorName, authorize, type Actor } from '../../auth/authorize';
import { requestEvaluation } from '../evaluation/requests';
import { log } from '../../log';
import { kindOf } from '../../sources/registry';
import { audited } from '../audit/audit';
import { findServiceBySlug } from '../../db/services';
import { findSloRecord } from '../../db/slos';
import { markSloForReread } from '../../db/slo-evaluations';
import { serviceScope } from '../services/service-view';
import { sloTarget } from './slo-view';

/**
 * Re-reads an SLO's whole history (up to 90 days) from its source: buckets are upserted, so what is already
 * there is replaced, not added to. The evaluator does the work, newest first, without forgetting what is complete:
 * the SLO's figures stay whole (not "partial") while it runs. An SLO never evaluated yet is simply evaluated.
 */
export async function backfillSlo({ actor, service, slo }: { actor: Actor; service: string; slo: string }): Promise<void> {
  const serviceRow = await findServiceBySlug(service);
  await authorize(actor, 'slo.update', serviceScope(serviceRow, slo));
  const record = await findSloRecord(service, slo);
  kindOf(record.sli).backfill(record.sli); // a pushed kind has no backend to read again from
  await audited(actor, async (tx) => {
    await markSloForReread(tx, record.id);
    return {
      result: null,
      audit: { action: 'slo.backfill', target: sloTarget(serviceRow, record), details: { reread: 'the whole history, from its source' } },
    };
  });
  requestEvaluation(record.id);
  log.info('slo.backfill_requested', { service, slo, by: actorName(actor) });
}
