import type { Slo } from '../../schemas/index';
import { findSloRecord } from '../../db/slos';
import { toSlo } from './slo-view';

export async function getSlo({ service, slo }: { service: string; slo: string }): Promise<Slo> {
  return toSlo(await findSloRecord(service, slo));
}
