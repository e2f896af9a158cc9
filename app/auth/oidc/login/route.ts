import { safeReturnTo } from '@/lib/auth/oidc-claims';
import { requestContext } from '@/lib/http/authenticate';
import { publicOrigin } from '@/lib/http/origin';
import { oidcStateCookie } from '@/lib/http/session-cookies';
import { redirect, signInFailed } from '@/lib/http/sign-in-redirect';
import { oidcConfigured, startOidcLogin } from '@/lib/use-cases/access/oidc-login';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /auth/oidc/login?next=/path: off to the identity provider, with a cookie binding its answer to this browser.
 * A browser navigation, not the JSON API: failures go back to the sign-in page with a message.
 */
export async function GET(request: Request): Promise<Response> {
  if (!oidcConfigured())
    return new Response('Sign-in through an identity provider is not set up here.\n', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  const requestId = crypto.randomUUID();
  const next = new URL(request.url).searchParams.get('next');
  try {
    const flow = await startOidcLogin({ returnTo: next, origin: publicOrigin(request), context: requestContext(request, requestId) });
    return redirect(flow.url, [oidcStateCookie(request, flow.state, flow.expiresAt)]);
  } catch (error) {
    return signInFailed(error, { requestId, path: '/auth/oidc/login', next: safeReturnTo(next) });
  }
}
