import type { Actor } from '../../auth/permissions';
import { countSlos, lockQuota } from '../../db/quotas';
import { countServices } from '../../db/services';
import { env } from '../../env';
import { QuotaExceededError } from '../../errors';
import { serviceQuotaBreach, sloQuotaBreach, type QuotaBreach, type Quotas } from '../../quotas';
import type { Tx } from '../audit/audit';

function quotas(): Quotas {
  const e = env();
  return { services: e.UMPIRE_MAX_SERVICES, slosPerService: e.UMPIRE_MAX_SLOS_PER_SERVICE, slos: e.UMPIRE_MAX_SLOS };
}

function refuse(breach: QuotaBreach): never {
  throw new QuotaExceededError(breach.message, { name: breach.name, limit: breach.limit, setting: breach.setting });
}

/**
 * Inside the transaction that creates a service: refuses it when the quota is full. Umpire itself (the demo seed,
 * the operator's scripts) is not held to it: the quotas bound what requests may create.
 */
export async function assertServiceFits(tx: Tx, actor: Actor): Promise<void> {
  if (actor.kind === 'system') return;
  await lockQuota(tx, 'services');
  const breach = serviceQuotaBreach(await countServices(tx), quotas());
  if (breach) refuse(breach);
}

/** Inside the transaction that creates an SLO on `service`: refuses it when the service's or the instance's quota is full. */
export async function assertSloFits(tx: Tx, actor: Actor, service: { id: string; slug: string }): Promise<void> {
  if (actor.kind === 'system') return;
  await lockQuota(tx, 'slos');
  const breach = sloQuotaBreach({ service: service.slug, ...(await countSlos(tx, service.id)) }, quotas());
  if (breach) refuse(breach);
}
