import { authorize, type Actor } from '../auth/authorize';
import { db } from '../db/client';
import { UnprocessableError } from '../errors';
import { requestEvaluation } from '../evaluator/requests';
import { log } from '../log';
import { findSloRecord } from './records';

/**
 * Re-reads an SLO's whole history (up to 90 days) from its source: buckets are upserted, so what is already
 * there is replaced, not added to. The evaluator does the work, newest first.
 */
export async function backfillSlo({ actor, service, slo }: { actor: Actor; service: string; slo: string }): Promise<void> {
  await authorize(actor, 'slo.update', { service, slo });
  const record = await findSloRecord(service, slo);
  if (record.sli.source === 'otel') {
    throw new UnprocessableError('OpenTelemetry SLIs are pushed to Umpire: there is no backend to read their history again from', {
      'sli.source': 'has no history to re-read',
    });
  }
  await db().sloEvaluation.updateMany({ where: { sloId: record.id }, data: { completeFrom: null, freshUntil: null, historyFrom: null } });
  requestEvaluation(record.id);
  log.info('slo.backfill_requested', { service, slo, actor: actor.kind });
}
