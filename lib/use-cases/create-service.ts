import { authorize, type Actor } from '../auth/authorize';
import { db, prismaErrorCode } from '../db/client';
import { ConflictError } from '../errors';
import { log } from '../log';
import type { Service, ServiceInput } from '../schemas';
import { toService } from './records';

export async function createService({ actor, input }: { actor: Actor; input: ServiceInput }): Promise<Service> {
  await authorize(actor, 'service.create', { service: input.slug });
  try {
    const row = await db().service.create({
      data: {
        slug: input.slug,
        name: input.name,
        ownerTeam: input.ownerTeam,
        tier: input.tier,
        description: input.description,
        runbookUrl: input.links.runbook ?? null,
        repositoryUrl: input.links.repository ?? null,
        dashboardUrl: input.links.dashboard ?? null,
        onCallUrl: input.links.onCall ?? null,
      },
    });
    log.info('service.created', { service: row.slug, actor: actor.kind });
    return toService(row);
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') {
      throw new ConflictError(`A service with slug "${input.slug}" already exists`, { slug: 'is already taken' });
    }
    throw error;
  }
}
