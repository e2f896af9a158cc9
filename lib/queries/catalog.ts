import { CatalogApplyAnswer, CatalogPlanAnswer, type CatalogFile } from '@/lib/schemas';
import { apiRequest } from './api';

// The Import page sends its files without a source, so nothing it applies is marked as managed (docs/gitops.md).

export const planCatalog = (files: CatalogFile[]) => apiRequest('/api/v1/catalog/plan', CatalogPlanAnswer, { method: 'POST', body: { files } });

export const applyCatalog = (files: CatalogFile[]) => apiRequest('/api/v1/catalog/apply', CatalogApplyAnswer, { method: 'POST', body: { files } });
