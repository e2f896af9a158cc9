import { db } from '../../db/client';
import type { DataSource } from '../../schemas/index';
import { findDataSourceRow, toDataSource } from './data-source-records';

export async function listDataSources(): Promise<DataSource[]> {
  return (await db().dataSource.findMany({ orderBy: { name: 'asc' } })).map(toDataSource);
}

export async function getDataSource({ datasource }: { datasource: string }): Promise<DataSource> {
  return toDataSource(await findDataSourceRow(datasource));
}
