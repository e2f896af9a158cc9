import { actorName, authorize, type Actor } from '../../auth/authorize';
import { insertService } from '../../db/services';
import { ConflictError, prismaErrorCode } from '../../errors';
import { log } from '../../log';
import type { Service, ServiceInput } from '../../schemas/index';
import { audited } from '../audit/audit';
import { assertServiceFits } from '../access/quotas';
import { serviceColumnsOf, serviceTarget, toService } from './service-view';

export async function createService({ actor, input }: { actor: Actor; input: ServiceInput }): Promise<Service> {
  await authorize(actor, 'service.create', { service: input.slug, team: input.ownerTeam });
  try {
    const service = await audited(actor, async (tx) => {
      await assertServiceFits(tx, actor);
      const row = await insertService(tx, serviceColumnsOf(input));
      const created = toService(row);
      return { result: created, audit: { action: 'service.create', target: serviceTarget(row), before: null, after: created } };
    });
    log.info('service.created', { service: service.slug, team: service.ownerTeam, by: actorName(actor) });
    return service;
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') {
      throw new ConflictError(`A service with slug "${input.slug}" already exists`, { slug: 'is already taken' });
    }
    throw error;
  }
}
