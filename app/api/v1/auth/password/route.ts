import { requestContext } from '@/lib/http/authenticate';
import { route } from '@/lib/http/route';
import { sessionCookies, withCookies } from '@/lib/http/session-cookies';
import { PasswordLinkInput } from '@/lib/schemas';
import { setPasswordWithLink } from '@/lib/use-cases/access/sessions';

export const dynamic = 'force-dynamic';

/** Sets a password with an invitation or reset link (used once), and signs in. */
export const POST = route({ body: PasswordLinkInput, access: 'public' }, async ({ body, request, requestId }) => {
  const grant = await setPasswordWithLink({ input: body, context: requestContext(request, requestId) });
  return withCookies(Response.json({ user: grant.user }), sessionCookies(request, grant));
});
