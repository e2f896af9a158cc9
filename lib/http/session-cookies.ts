import { CSRF_COOKIE, SESSION_COOKIE } from '../auth/credentials';
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

function cookie(name: string, value: string, options: { httpOnly: boolean; secure: boolean; expires: Date; sameSite: 'Lax' | 'Strict' }): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
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

/** Adds Set-Cookie headers to a response (one header per cookie, as the standard requires). */
export function withCookies(response: Response, cookies: string[]): Response {
  for (const c of cookies) response.headers.append('set-cookie', c);
  response.headers.set('cache-control', 'no-store');
  return response;
}
