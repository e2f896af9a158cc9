import { route } from '@/lib/http/route';
import { UserPatch } from '@/lib/schemas';
import { getUser, updateUser } from '@/lib/use-cases/access/users';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ actor, params }) => Response.json(await getUser({ actor, username: params.user! })));

/** Role, teams, name, email, or disabled (which signs them out everywhere). */
export const PATCH = route({ body: UserPatch }, async ({ body, actor, params }) =>
  Response.json(await updateUser({ actor, username: params.user!, patch: body })),
);
