import { db } from './client';
import type { DataSource as DataSourceRow, Prisma } from './generated/client';
import type { Tx } from './transaction';

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

/** Every data source, by name. */
export function listDataSources(): Promise<DataSourceRow[]> {
  return db().dataSource.findMany({ orderBy: { name: 'asc' } });
}

/** The columns a data source is stored with; the secret part of its credentials already encrypted. */
export type DataSourceColumns = Pick<DataSourceRow, 'slug' | 'name' | 'kind' | 'url' | 'timeoutMs' | 'authKind' | 'authUsername' | 'secret'> & {
  authHeaderNames: string[];
};

export function insertDataSource(tx: Tx, columns: DataSourceColumns): Promise<DataSourceRow> {
  return tx.dataSource.create({ data: columns });
}

/** Changes the data source's columns (undefined: left as is). */
export function updateDataSourceRow(
  tx: Tx,
  id: string,
  changes: { [K in keyof DataSourceColumns]?: DataSourceColumns[K] | undefined },
): Promise<DataSourceRow> {
  return tx.dataSource.update({ where: { id }, data: changes });
}

export async function deleteDataSourceRow(tx: Tx, id: string): Promise<void> {
  await tx.dataSource.delete({ where: { id } });
}

/** How many SLOs have an SLI reading from the data source with this slug. */
export function countSlosUsingDataSource(slug: string): Promise<number> {
  return db().slo.count({ where: { sli: { path: ['datasource'], equals: slug } } });
}
