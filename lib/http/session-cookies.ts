import { CSRF_COOKIE, OIDC_STATE_COOKIE, SESSION_COOKIE } from '../auth/credentials';
import { publicOrigin } from './origin';

interface Grant {
  token: string;
  csrf: string;
  expiresAt: Date;
}

/** Secure cookies whenever Umpire is reached over TLS (directly, or as a TLS-terminating proxy says). */
export function secureCookies(request: Request): boolean {
  return publicOrigin(request).startsWith('https:');
}

function cookie(
  name: string,
  value: string,
  options: { httpOnly: boolean; secure: boolean; expires: Date; sameSite: 'Lax' | 'Strict'; path?: string },
): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/'}`,
    `Expires=${options.expires.toUTCString()}`,
    `SameSite=${options.sameSite}`,
    ...(options.httpOnly ? ['HttpOnly'] : []),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * The session cookie (httpOnly: no script reads it; Lax: sent when following a link to Umpire, never on another
 * site's POST) and the CSRF cookie the page's script echoes in a header (Strict: only Umpire's own pages see it).
 */
export function sessionCookies(request: Request, grant: Grant): string[] {
  const secure = secureCookies(request);
  return [
    cookie(SESSION_COOKIE, grant.token, { httpOnly: true, secure, expires: grant.expiresAt, sameSite: 'Lax' }),
    cookie(CSRF_COOKIE, grant.csrf, { httpOnly: false, secure, expires: grant.expiresAt, sameSite: 'Strict' }),
  ];
}

export function clearedSessionCookies(request: Request): string[] {
  const secure = secureCookies(request);
  const past = new Date(0);
  return [
    cookie(SESSION_COOKIE, '', { httpOnly: true, secure, expires: past, sameSite: 'Lax' }),
    cookie(CSRF_COOKIE, '', { httpOnly: false, secure, expires: past, sameSite: 'Strict' }),
  ];
}

/** Only the OpenID Connect routes see the state cookie. */
const OIDC_COOKIE_PATH = '/auth/oidc';

/**
 * Ties an OpenID Connect sign-in to the browser that started it (httpOnly; Lax: it comes back with the identity
 * provider's redirect, a top-level GET), until `expires`.
 */
export function oidcStateCookie(request: Request, state: string, expires: Date): string {
  return cookie(OIDC_STATE_COOKIE, state, { httpOnly: true, secure: secureCookies(request), expires, sameSite: 'Lax', path: OIDC_COOKIE_PATH });
}

export function clearedOidcStateCookie(request: Request): string {
  return cookie(OIDC_STATE_COOKIE, '', { httpOnly: true, secure: secureCookies(request), expires: new Date(0), sameSite: 'Lax', path: OIDC_COOKIE_PATH });
}

/** Adds Set-Cookie headers to a response (one header per cookie, as the standard requires). */
export function withCookies(response: Response, cookies: string[]): Response {
  for (const c of cookies) response.headers.append('set-cookie', c);
  response.headers.set('cache-control', 'no-store');
  return response;
}
