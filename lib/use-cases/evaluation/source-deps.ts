import type { SourceDeps } from '../../sources/registry';
import { findDataSourceRow, prometheusClientFor } from '../datasources/data-source-records';

/** How adapters reach data sources: looked up by slug, credentials decrypted only into the client. */
export const sourceDeps: SourceDeps = {
  prometheusClient: async (datasource) => prometheusClientFor(await findDataSourceRow(datasource)),
};
