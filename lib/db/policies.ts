import { db } from './client';
import type { ErrorBudgetPolicy as PolicyRow, Prisma } from './generated/client';
import type { Tx } from './transaction';

/** The key of the organisation's default policy; a service's own policy is keyed by the service's id. */
export const DEFAULT_POLICY_KEY = 'default';

/** The policy stored under `key`, if any (in the transaction when given one). */
export function findPolicy(key: string, tx?: Tx): Promise<PolicyRow | null> {
  return (tx ?? db()).errorBudgetPolicy.findUnique({ where: { key } });
}

/** The policies stored under any of `keys`. */
export function listPolicies(keys: string[]): Promise<PolicyRow[]> {
  return db().errorBudgetPolicy.findMany({ where: { key: { in: keys } } });
}

/** Stores `policy` under `key` (a service's own: `serviceId` set), replacing what was there. */
export function upsertPolicy(tx: Tx, { key, serviceId, policy }: { key: string; serviceId?: string; policy: Prisma.InputJsonValue }): Promise<PolicyRow> {
  return tx.errorBudgetPolicy.upsert({ where: { key }, create: { key, ...(serviceId ? { serviceId } : {}), policy }, update: { policy } });
}

export async function deletePolicy(tx: Tx, key: string): Promise<void> {
  await tx.errorBudgetPolicy.deleteMany({ where: { key } });
}
