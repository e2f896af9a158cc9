import { authorize, type Actor } from '../auth/authorize';
import { db } from '../db/client';
import { log } from '../log';
import { invalidateOtelSloIndex } from './ingest-otlp';
import { findServiceRow } from './records';

/** Deletes a service with its SLOs and their buckets (the foreign keys cascade). */
export async function deleteService({ actor, service }: { actor: Actor; service: string }): Promise<void> {
  await authorize(actor, 'service.delete', { service });
  const row = await findServiceRow(service);
  const slos = await db().slo.count({ where: { serviceId: row.id } });
  await db().service.delete({ where: { id: row.id } });
  invalidateOtelSloIndex();
  log.info('service.deleted', { service, slosDeleted: slos, actor: actor.kind });
}
