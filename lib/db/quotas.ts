import type { Prisma } from './generated/client';

/** One advisory lock per quota: creations that count against it take their turns, each seeing the one before. */
const LOCKS = { services: 'umpire.quota.services', slos: 'umpire.quota.slos' } as const;

/**
 * Holds the quota's lock until the transaction ends, so its count and the row it then creates are one step:
 * without it, two creations at once would both count one free place and both take it.
 */
export async function lockQuota(tx: Prisma.TransactionClient, quota: keyof typeof LOCKS): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${LOCKS[quota]}))::text`;
}

export async function countSlos(tx: Prisma.TransactionClient, serviceId: string): Promise<{ ofService: number; all: number }> {
  const ofService = await tx.slo.count({ where: { serviceId } });
  return { ofService, all: await tx.slo.count() };
}
