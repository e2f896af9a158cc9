import { NextResponse, type NextRequest } from 'next/server';
import { env } from './lib/env';

/**
 * Runs before every page (not the API, embeds, OTLP or static files, which answer for themselves):
 * - a Content-Security-Policy with a fresh nonce, which Next.js puts on its own scripts (the layout reads x-nonce);
 * - nobody signed in and no anonymous reading: straight to the sign-in page, remembering where they were going.
 *   The page itself checks the session for real (lib/http/page-actor.ts); this only saves rendering for nobody.
 */
const OPEN_PAGES = /^\/(login|setup|set-password)(\/|$)/;

export function contentSecurityPolicy(nonce: string, https: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts Next.js loads from a nonced script are trusted too; nothing else runs.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${process.env.NODE_ENV === 'development' ? " 'unsafe-eval'" : ''}`,
    // React and recharts set style attributes, which nonces cannot cover; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // The embed dialog previews the panel in a frame of Umpire's own.
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  const anonymousRead = env().UMPIRE_ANONYMOUS_READ === 'on';
  if (!OPEN_PAGES.test(pathname) && !anonymousRead && !request.cookies.has('umpire_session')) {
    const login = new URL('/login', request.url);
    if (pathname !== '/') login.searchParams.set('next', `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce, request.headers.get('x-forwarded-proto') === 'https');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  headers.set('x-umpire-path', `${pathname}${search}`);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: '/((?!api/|v1/|embed/|auth/|metrics$|cli/|_next/static|_next/image|icon[^/]*\\.svg|favicon\\.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
