import type { SliSpec } from '../../schemas/index';
import { findOtelMetric } from '../../db/otel-metrics';
import { kindOf } from '../../sources/registry';
import type { ValidateContext } from '../../sources/types';
import { findDataSourceRow, prometheusClientFor } from '../datasources/data-source-records';

/** What a kind's validation may look up: data sources, and the OTLP metrics Umpire has received. */
const context: ValidateContext = {
  prometheusDataSource: async (datasource) => {
    const row = await findDataSourceRow(datasource);
    return { client: () => prometheusClientFor(row) };
  },
  otelMetric: findOtelMetric,
};

/**
 * Checks what the schema cannot, as the SLI's kind says (lib/sources/<kind>/kind.ts): a Prometheus data source
 * exists, say. When the backend cannot be asked, the SLO is still saved: its evaluation shows the fault.
 */
export async function validateSli(sli: SliSpec): Promise<void> {
  await kindOf(sli).validate(sli, context);
}
