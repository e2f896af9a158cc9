import { publicOrigin } from '@/lib/http/origin';
import { route } from '@/lib/http/route';
import { UserInput } from '@/lib/schemas';
import { createUser, listUsers } from '@/lib/use-cases/access/users';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ actor }) => Response.json({ users: await listUsers({ actor }) }));

/** Without a password, the answer carries a one-time link for the new user to set one (shown this once). */
export const POST = route({ body: UserInput }, async ({ body, actor, request }) => {
  const user = await createUser({ actor, input: body, origin: publicOrigin(request) });
  return Response.json(user, { status: 201, headers: { location: `/api/v1/users/${user.username}`, 'cache-control': 'no-store' } });
});
