import { route } from '@/lib/http/route';
import { SliPreviewRequest } from '@/lib/schemas';
import { previewSli } from '@/lib/use-cases/slos/preview-sli';

export const dynamic = 'force-dynamic';

/** 200 with ok: false when the backend refuses the query: its error text is the answer the form shows. */
export const POST = route({ body: SliPreviewRequest }, async ({ body, actor }) => Response.json(await previewSli({ actor, sli: body.sli, at: body.at })));
