import { OIDC_STATE_COOKIE } from '@/lib/auth/credentials';
import { parseCookies, requestContext, sessionTokenOf } from '@/lib/http/authenticate';
import { publicOrigin } from '@/lib/http/origin';
import { clearedOidcStateCookie, sessionCookies } from '@/lib/http/session-cookies';
import { redirect, signInFailed } from '@/lib/http/sign-in-redirect';
import { finishOidcLogin } from '@/lib/use-cases/access/oidc-login';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /auth/oidc/callback: where the identity provider sends the browser back. Signed in: the session cookies and
 * on to where they were going. Anything else: the sign-in page, saying why. The state cookie goes either way.
 */
export async function GET(request: Request): Promise<Response> {
  const requestId = crypto.randomUUID();
  const cleared = clearedOidcStateCookie(request);
  try {
    const { grant, returnTo } = await finishOidcLogin({
      callbackUrl: new URL(request.url),
      stateCookie: parseCookies(request.headers.get('cookie')).get(OIDC_STATE_COOKIE),
      previousSessionToken: sessionTokenOf(request),
      context: requestContext(request, requestId),
      origin: publicOrigin(request),
    });
    return redirect(returnTo, [...sessionCookies(request, grant), cleared]);
  } catch (error) {
    return signInFailed(error, { requestId, path: '/auth/oidc/callback', cookies: [cleared] });
  }
}
