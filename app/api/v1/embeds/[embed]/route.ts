import { publicOrigin } from '@/lib/http/origin';
import { route } from '@/lib/http/route';
import { revokeEmbed } from '@/lib/use-cases/embeds/embeds';

export const dynamic = 'force-dynamic';

/** Revokes the link: its page and images answer 404 from now on. */
export const DELETE = route({}, async ({ params, actor, request }) =>
  Response.json(await revokeEmbed({ actor, id: params.embed!, origin: publicOrigin(request) })),
);
