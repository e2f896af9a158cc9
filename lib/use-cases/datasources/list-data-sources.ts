import { listDataSources as findDataSources } from '../../db/data-sources';
import type { DataSource } from '../../schemas/index';
import { findDataSourceRow, toDataSource } from './data-source-records';

export async function listDataSources(): Promise<DataSource[]> {
  return (await findDataSources()).map(toDataSource);
}

export async function getDataSource({ datasource }: { datasource: string }): Promise<DataSource> {
  return toDataSource(await findDataSourceRow(datasource));
}
