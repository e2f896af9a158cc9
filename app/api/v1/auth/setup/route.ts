import { requestContext } from '@/lib/http/authenticate';
import { route } from '@/lib/http/route';
import { sessionCookies, withCookies } from '@/lib/http/session-cookies';
import { SetupInput } from '@/lib/schemas';
import { setupFirstAdmin } from '@/lib/use-cases/access/sessions';

export const dynamic = 'force-dynamic';

/** The first admin, with the one-time link `npm start` printed; only while no user exists. Signs them in. */
export const POST = route({ body: SetupInput, access: 'public' }, async ({ body, request, requestId }) => {
  const grant = await setupFirstAdmin({ input: body, context: requestContext(request, requestId) });
  return withCookies(Response.json({ user: grant.user }, { status: 201 }), sessionCookies(request, grant));
});
