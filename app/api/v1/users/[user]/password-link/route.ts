import { publicOrigin } from '@/lib/http/origin';
import { route } from '@/lib/http/route';
import { createResetLink } from '@/lib/use-cases/access/users';

export const dynamic = 'force-dynamic';

/** A new one-time link for the user to set their password (shown this once; the previous link stops working). */
export const POST = route({}, async ({ actor, params, request }) =>
  Response.json(await createResetLink({ actor, username: params.user!, origin: publicOrigin(request) }), {
    status: 201,
    headers: { 'cache-control': 'no-store' },
  }),
);
