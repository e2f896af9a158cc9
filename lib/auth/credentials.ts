import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie: httpOnly, SameSite=Lax, Secure over TLS. Holds a random token; the database keeps its hash. */
export const SESSION_COOKIE = 'umpire_session';
/** Readable by the page's script, which echoes it in CSRF_HEADER on every change it asks for. */
export const CSRF_COOKIE = 'umpire_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Binds an OpenID Connect sign-in to the browser that started it. */
export const OIDC_STATE_COOKIE = 'umpire_oidc_state';

/** 32 random bytes, base64url, after a prefix that says what it is ("umpire_", "umpire_session_"). */
export function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * The CSRF token of a session, derived from the session's own secret: nothing more to store, and useless without
 * the session cookie, which another site's page can neither read nor make the browser send on a cross-site POST.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`umpire csrf v1\0${sessionToken}`).digest('base64url');
}

/** Constant-time string equality (lengths may differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
