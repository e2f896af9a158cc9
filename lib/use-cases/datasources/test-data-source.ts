import { authorize, type Actor } from '../../auth/authorize';
import { log } from '../../log';
import type { ConnectionTest } from '../../schemas/index';
import { PrometheusError } from '../../sources/prometheus/client';
import { findDataSourceRow, prometheusClientFor } from './data-source-records';

/** Asks the backend a trivial query and for its build info; a failure is reported verbatim, not thrown. */
export async function testDataSource({ actor, datasource }: { actor: Actor; datasource: string }): Promise<ConnectionTest> {
  await authorize(actor, 'datasource.test', { datasource });
  const row = await findDataSourceRow(datasource);
  const client = prometheusClientFor(row);
  const started = performance.now();
  try {
    await client.query('vector(1)', new Date());
    const latencyMs = Math.round(performance.now() - started);
    const info = await client.buildInfo().catch(() => null);
    log.info('datasource.tested', { datasource, ok: true, latencyMs });
    return { ok: true, latencyMs, version: info?.version ?? null, buildInfo: info ? { ...info } : null, error: null };
  } catch (error) {
    const kind = error instanceof PrometheusError ? error.kind : error instanceof Error ? error.name : 'error';
    const message = error instanceof Error ? error.message : String(error);
    log.warn('datasource.test_failed', { datasource, kind, reason: message });
    return { ok: false, latencyMs: null, version: null, buildInfo: null, error: { kind, message } };
  }
}
