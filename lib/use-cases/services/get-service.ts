import type { Service } from '../../schemas/index';
import { findServiceRow, toService } from '../records';

export async function getService({ service }: { service: string }): Promise<Service> {
  return toService(await findServiceRow(service));
}
