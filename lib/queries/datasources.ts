import { z } from 'zod';
import { ConnectionTest, DataSource, SliPreviewResult, type DataSourceInput, type DataSourcePatch, type SliSpec } from '@/lib/schemas';
import { apiRequest } from './api';

const datasourcesPath = '/api/v1/datasources';
const datasourcePath = (datasource: string) => `${datasourcesPath}/${encodeURIComponent(datasource)}`;

export const datasourceKeys = {
  all: ['datasources'] as const,
  test: (datasource: string) => [...datasourceKeys.all, datasource, 'test'] as const,
};

const DataSourceList = z.object({ datasources: z.array(DataSource) });

export const listDataSources = (signal?: AbortSignal) => apiRequest(datasourcesPath, DataSourceList, { signal }).then((body) => body.datasources);

export const createDataSource = (input: DataSourceInput) => apiRequest(datasourcesPath, DataSource, { method: 'POST', body: input });

/** Leaving `auth` out of the patch keeps the stored credentials. */
export const updateDataSource = (datasource: string, patch: DataSourcePatch) =>
  apiRequest(datasourcePath(datasource), DataSource, { method: 'PATCH', body: patch });

export const deleteDataSource = (datasource: string) => apiRequest(datasourcePath(datasource), null, { method: 'DELETE' });

/** A 200 even when the backend fails: `ok: false` carries the backend's own error. */
export const testDataSource = (datasource: string) => apiRequest(`${datasourcePath(datasource)}/test`, ConnectionTest, { method: 'POST' });

/** Runs an SLI that need not be saved yet; a wrong query comes back as `ok: false` with Prometheus's text. */
export const previewSli = (sli: SliSpec, signal?: AbortSignal) =>
  apiRequest('/api/v1/sli/preview', SliPreviewResult, { method: 'POST', body: { sli }, signal });
