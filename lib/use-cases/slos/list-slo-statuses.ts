import type { SloStatus } from '../../schemas/index';
import { listSloRecords } from './list-slos';
import { currentStatuses } from './current-status';

/** The current status of each SLO of the service, by slug: as the evaluator last stored it, live where it has none. */
export async function listSloStatuses({ service, now = new Date() }: { service: string; now?: Date }): Promise<Map<string, SloStatus>> {
  const records = await listSloRecords(service);
  const statuses = await currentStatuses(records, { now });
  return new Map(statuses.map((status, i) => [records[i]!.slug, status]));
}
