import { CatalogQuery, catalogRefusal, readCatalogFiles } from '@/lib/http/catalog-request';
import { route } from '@/lib/http/route';
import { planCatalog } from '@/lib/use-cases/catalog/apply-catalog';

export const dynamic = 'force-dynamic';

/**
 * What applying an OpenSLO v1 file (the request's application/yaml body, `?file=` naming it in messages) would
 * create or change, field by field; nothing is written. A file Umpire refuses is a 422 with every message. Kept for
 * clients of the first release; /api/v1/catalog/plan also takes folders and Backstage files.
 */
export const POST = route({ query: CatalogQuery.pick({ file: true }) }, async ({ request, query, actor }) => {
  if (!/^(application|text)\/(x-)?yaml\b/i.test(request.headers.get('content-type') ?? '')) {
    return Response.json({ error: { code: 'unsupported_media_type', message: 'Send the OpenSLO documents as application/yaml' } }, { status: 415 });
  }
  const read = await readCatalogFiles(request, { ...query, prune: false, dryRun: false });
  if (!read.ok) return read.response;
  const plan = await planCatalog({ actor, files: read.files, source: null, prune: false });
  if (!plan.ok) return catalogRefusal(plan.code === 'invalid_catalog' ? 'invalid_openslo' : plan.code, plan.errors);
  return Response.json({ steps: plan.steps });
});
