import { route } from '@/lib/http/route';
import { TokenPatch } from '@/lib/schemas';
import { revokeApiToken, updateApiToken } from '@/lib/use-cases/access/api-tokens';

export const dynamic = 'force-dynamic';

/** Renames the token or changes its bindings (teams, service.name pins); the token itself stays the same. */
export const PATCH = route({ body: TokenPatch }, async ({ params, body, actor }) =>
  Response.json(await updateApiToken({ actor, id: params.token!, patch: body })),
);

/** Revokes the token (kept, marked revoked, so its history stays readable). */
export const DELETE = route({}, async ({ params, actor }) => Response.json(await revokeApiToken({ actor, id: params.token! })));
