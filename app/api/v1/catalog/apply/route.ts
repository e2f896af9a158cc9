import { CatalogQuery, catalogRefusal, readCatalogFiles } from '@/lib/http/catalog-request';
import { route } from '@/lib/http/route';
import { applyCatalog } from '@/lib/use-cases/catalog/apply-catalog';

export const dynamic = 'force-dynamic';

/**
 * Applies OpenSLO v1 and Backstage catalog-info.yaml files in one transaction: all of it or nothing, audited with
 * `?source=` (which then manages what it applied) and `?revision=`; `?prune=true` deletes what the source manages
 * and the files no longer define; `?dryRun=true` carries it out and rolls it back (docs/gitops.md).
 */
export const POST = route({ query: CatalogQuery }, async ({ request, query, actor }) => {
  const read = await readCatalogFiles(request, query);
  if (!read.ok) return read.response;
  const result = await applyCatalog({
    actor,
    files: read.files,
    source: query.source ?? null,
    prune: query.prune,
    dryRun: query.dryRun,
    ...(query.revision ? { revision: query.revision } : {}),
  });
  if (!result.ok) return catalogRefusal(result.code, result.errors);
  return Response.json({ steps: result.steps, skipped: result.skipped, applied: result.applied, dryRun: query.dryRun });
});
