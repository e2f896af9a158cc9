import { authorize, type Actor } from '../auth/authorize';
import { db } from '../db/client';
import { log } from '../log';
import { invalidateOtelSloIndex } from './ingest-otlp';
import { findSloRecord } from './records';

/** Deletes an SLO and its buckets (the foreign key cascades). */
export async function deleteSlo({ actor, service, slo }: { actor: Actor; service: string; slo: string }): Promise<void> {
  await authorize(actor, 'slo.delete', { service, slo });
  const record = await findSloRecord(service, slo);
  await db().slo.delete({ where: { id: record.id } });
  if (record.sli.source === 'otel') invalidateOtelSloIndex();
  log.info('slo.deleted', { service, slo, actor: actor.kind });
}
