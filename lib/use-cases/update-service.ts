import { authorize, type Actor } from '../auth/authorize';
import { db, prismaErrorCode } from '../db/client';
import { ConflictError } from '../errors';
import { log } from '../log';
import type { Service, ServicePatch } from '../schemas';
import { findServiceRow, toService } from './records';

export async function updateService({
  actor,
  service,
  patch,
}: {
  actor: Actor;
  service: string;
  patch: ServicePatch;
}): Promise<Service> {
  await authorize(actor, 'service.update', { service });
  const existing = await findServiceRow(service);
  try {
    const row = await db().service.update({
      where: { id: existing.id },
      data: {
        slug: patch.slug,
        name: patch.name,
        ownerTeam: patch.ownerTeam,
        tier: patch.tier,
        description: patch.description,
        ...(patch.links
          ? {
              runbookUrl: patch.links.runbook ?? null,
              repositoryUrl: patch.links.repository ?? null,
              dashboardUrl: patch.links.dashboard ?? null,
              onCallUrl: patch.links.onCall ?? null,
            }
          : {}),
      },
    });
    log.info('service.updated', { service: row.slug, previousSlug: service, fields: Object.keys(patch), actor: actor.kind });
    return toService(row);
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') {
      throw new ConflictError(`A service with slug "${patch.slug}" already exists`, { slug: 'is already taken' });
    }
    throw error;
  }
}
