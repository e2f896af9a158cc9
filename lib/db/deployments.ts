import { db } from './client';
import type { Deployment as DeploymentRow, Service as ServiceRow } from './generated/client';
import type { Tx } from './transaction';

export function insertDeployment(
  tx: Tx,
  columns: Pick<DeploymentRow, 'serviceId' | 'version' | 'environment' | 'startedAt' | 'finishedAt' | 'commit' | 'url'>,
): Promise<DeploymentRow> {
  return tx.deployment.create({ data: columns });
}

export function findDeploymentById(id: string): Promise<(DeploymentRow & { service: ServiceRow }) | null> {
  return db().deployment.findUnique({ where: { id }, include: { service: true } });
}

/** The service's deploys that started in [from, to) (either end open when not given), newest first, at most 200. */
export function listDeploymentsOfService(serviceId: string, { from, to }: { from?: Date; to?: Date }): Promise<DeploymentRow[]> {
  return db().deployment.findMany({
    where: { serviceId, startedAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } },
    orderBy: { startedAt: 'desc' },
    take: 200,
  });
}
