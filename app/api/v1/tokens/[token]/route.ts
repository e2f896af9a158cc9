import { route } from '@/lib/http/route';
import { revokeApiToken } from '@/lib/use-cases/api-tokens';

export const dynamic = 'force-dynamic';

/** Revokes the token (kept, marked revoked, so its history stays readable). */
export const DELETE = route({}, async ({ params, actor }) => Response.json(await revokeApiToken({ actor, id: params.token! })));
