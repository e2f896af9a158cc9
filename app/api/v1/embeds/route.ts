import { publicOrigin } from '@/lib/http/origin';
import { route } from '@/lib/http/route';
import { EmbedInput, EmbedListQuery } from '@/lib/schemas';
import { createEmbed, listEmbeds } from '@/lib/use-cases/embeds/embeds';

export const dynamic = 'force-dynamic';

export const GET = route({ query: EmbedListQuery }, async ({ query, request }) =>
  Response.json({ embeds: await listEmbeds({ service: query.service, slo: query.slo, origin: publicOrigin(request) }) }),
);

/** A signed, read-only link to one panel of one SLO or service. */
export const POST = route({ body: EmbedInput }, async ({ body, actor, request }) =>
  Response.json(await createEmbed({ actor, input: body, origin: publicOrigin(request) }), { status: 201 }),
);
