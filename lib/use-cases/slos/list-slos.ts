import { db } from '../../db/client';
import type { Slo } from '../../schemas/index';
import { findServiceRow, toSlo, toSloRecord, type SloRecord } from '../records';

export async function listSloRecords(service: string): Promise<SloRecord[]> {
  const serviceRow = await findServiceRow(service);
  const rows = await db().slo.findMany({ where: { serviceId: serviceRow.id }, orderBy: { slug: 'asc' } });
  return rows.map((row) => toSloRecord(row, serviceRow.slug));
}

export async function listSlos({ service }: { service: string }): Promise<Slo[]> {
  const now = new Date();
  return (await listSloRecords(service)).map((record) => toSlo(record, now));
}
