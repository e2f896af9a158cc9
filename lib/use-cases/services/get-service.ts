import type { Service } from '../../schemas/index';
import { findServiceBySlug } from '../../db/services';
import { toService } from './service-view';

export async function getService({ service }: { service: string }): Promise<Service> {
  return toService(await findServiceBySlug(service));
}
