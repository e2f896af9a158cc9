import type { Slo } from '../../schemas/index';
import { findSloRecord, toSlo } from '../records';

export async function getSlo({ service, slo }: { service: string; slo: string }): Promise<Slo> {
  return toSlo(await findSloRecord(service, slo));
}
