import { CatalogQuery, catalogRefusal, readCatalogFiles } from '@/lib/http/catalog-request';
import { route } from '@/lib/http/route';
import { planCatalog } from '@/lib/use-cases/catalog/apply-catalog';

export const dynamic = 'force-dynamic';

/**
 * What applying OpenSLO v1 and Backstage catalog-info.yaml files would create, change (field by field) or, with
 * `?prune=true&source=`, delete; nothing is written (docs/gitops.md).
 */
export const POST = route({ query: CatalogQuery }, async ({ request, query, actor }) => {
  const read = await readCatalogFiles(request, query);
  if (!read.ok) return read.response;
  const plan = await planCatalog({ actor, files: read.files, source: query.source ?? null, prune: query.prune });
  if (!plan.ok) return catalogRefusal(plan.code, plan.errors);
  return Response.json({ steps: plan.steps, skipped: plan.skipped });
});
