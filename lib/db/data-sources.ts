import { db } from './client';
import type { DataSource as DataSourceRow, Prisma } from './generated/client';

/**
 * The data source's row, locked until the transaction ends: a change decided on what the row holds (whether its
 * credentials may follow a new URL) cannot be undone by another change committed in between.
 */
export async function lockDataSource(tx: Prisma.TransactionClient, id: string): Promise<DataSourceRow | null> {
  await tx.$queryRaw`SELECT id FROM data_sources WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.dataSource.findUnique({ where: { id } });
}

/** The data source with this slug, if any. */
export function findDataSourceBySlug(slug: string): Promise<DataSourceRow | null> {
  return db().dataSource.findUnique({ where: { slug } });
}
