import { db } from './client';
import type { GateOverride as GateOverrideRow } from './generated/client';
import type { Tx } from './transaction';

/** The newest override of the service still in force at `now` for this version, in this environment or any. */
export function findActiveOverride(serviceId: string, version: string, environment: string, now: Date): Promise<GateOverrideRow | null> {
  return db().gateOverride.findFirst({
    where: { serviceId, version, OR: [{ environment: null }, { environment }], expiresAt: { gt: now } },
    orderBy: { createdAt: 'desc' },
  });
}

export function insertGateOverride(
  tx: Tx,
  columns: Pick<GateOverrideRow, 'serviceId' | 'version' | 'environment' | 'reason' | 'createdBy' | 'createdAt' | 'expiresAt'>,
): Promise<GateOverrideRow> {
  return tx.gateOverride.create({ data: columns });
}

/** The service's latest overrides, newest first, at most 100. */
export function listOverridesOfService(serviceId: string): Promise<GateOverrideRow[]> {
  return db().gateOverride.findMany({ where: { serviceId }, orderBy: { createdAt: 'desc' }, take: 100 });
}
