import { db } from './client';
import type { Prisma } from './generated/client';

/**
 * The client inside a transaction. Repository functions in lib/db take one, so a use-case can make several
 * changes (and their audit entries) one step: all kept, or none.
 */
export type Tx = Prisma.TransactionClient;

/** Runs `work` in one transaction, committed when it returns and rolled back when it throws. */
export function transaction<T>(work: (tx: Tx) => Promise<T>, options?: { timeout?: number; isolationLevel?: Prisma.TransactionIsolationLevel }): Promise<T> {
  return db().$transaction(work, options);
}
