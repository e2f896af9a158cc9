import { db } from './client';

/** Resolves when the database answers a trivial query; rejects with the driver's error when it does not. */
export async function pingDatabase(): Promise<void> {
  await db().$queryRaw`SELECT 1`;
}
