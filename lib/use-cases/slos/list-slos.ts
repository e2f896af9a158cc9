import type { Slo } from '../../schemas/index';
import { findServiceBySlug } from '../../db/services';
import { toSlo } from './slo-view';
import { listSlosOfService, toSloRecord, type SloRecord } from '../../db/slos';

export async function listSloRecords(service: string): Promise<SloRecord[]> {
  const serviceRow = await findServiceBySlug(service);
  const rows = await listSlosOfService(serviceRow.id);
  return rows.map((row) => toSloRecord(row, serviceRow.slug));
}

export async function listSlos({ service }: { service: string }): Promise<Slo[]> {
  const now = new Date();
  return (await listSloRecords(service)).map((record) => toSlo(record, now));
}
