import { requestContext } from '@/lib/http/authenticate';
import { route } from '@/lib/http/route';
import { sessionCookies, withCookies } from '@/lib/http/session-cookies';
import { LoginInput } from '@/lib/schemas';
import { signIn } from '@/lib/use-cases/access/sessions';

export const dynamic = 'force-dynamic';

/**
 * Username and password in, a session cookie out (always a new session: the one the browser had ends). Wrong
 * username and wrong password are one answer, 401; repeated failures are 429 with Retry-After.
 */
export const POST = route({ body: LoginInput, access: 'public' }, async ({ body, request, requestId, sessionToken }) => {
  const grant = await signIn({ input: body, context: requestContext(request, requestId), previousToken: sessionToken });
  return withCookies(Response.json({ user: grant.user }), sessionCookies(request, grant));
});
