import { route } from '@/lib/http/route';
import { clearedSessionCookies, withCookies } from '@/lib/http/session-cookies';
import { signOut } from '@/lib/use-cases/access/sessions';

export const dynamic = 'force-dynamic';

/** Ends this browser's session (the cookie is cleared and the session deleted, so a copied cookie is useless too). */
export const POST = route({ access: 'public' }, async ({ actor, request, sessionToken }) => {
  await signOut({ actor, token: sessionToken });
  return withCookies(new Response(null, { status: 204 }), clearedSessionCookies(request));
});
