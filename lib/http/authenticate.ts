import type { Actor, RequestContext } from '../auth/permissions';
import { CSRF_HEADER, csrfTokenFor, safeEqual, SESSION_COOKIE } from '../auth/credentials';
import { env } from '../env';
import { log } from '../log';
import { authenticateToken } from '../use-cases/access/api-tokens';
import { authenticateSession } from '../use-cases/access/sessions';
import { clientAddress } from './forwarded';
import { publicOrigin } from './origin';
import { INVALID_TOKENS_PER_MINUTE, tokenLimits } from './token-limits';

/** The cookies of a request, by name (first value wins; malformed pairs are skipped). */
export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (cookies.has(name)) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      cookies.set(name, raw);
    }
  }
  return cookies;
}

/** The client's address: see lib/http/forwarded (the last X-Forwarded-For entry is the peer Umpire's server saw). */
export function clientIp(request: Request): string {
  return clientAddress(request.headers.get('x-forwarded-for'), env().UMPIRE_TRUSTED_PROXIES);
}

export function requestContext(request: Request, requestId: string): RequestContext & { userAgent?: string } {
  const userAgent = request.headers.get('user-agent');
  return { requestId, ip: clientIp(request), ...(userAgent ? { userAgent } : {}) };
}

export function sessionTokenOf(request: Request): string | null {
  return parseCookies(request.headers.get('cookie')).get(SESSION_COOKIE) ?? null;
}

export interface Authenticated {
  ok: true;
  actor: Actor;
  /** How the actor was established: a bearer token, a session cookie, or nothing at all. */
  via: 'token' | 'session' | 'none';
  /** The session cookie's value, when one was sent (valid or not). */
  sessionToken: string | null;
}

export type Authentication = Authenticated | { ok: false; status: 401 | 429; code: string; message: string; headers: Record<string, string> };

/**
 * Who a request acts as: the API token in Authorization (wrong or expired: 401, never a fallback to the cookie),
 * else the session cookie, else nobody (readers only when anonymous read-only mode is on).
 */
export async function authenticate(request: Request, requestId: string): Promise<Authentication> {
  const context = requestContext(request, requestId);
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    const ip = context.ip ?? 'unknown';
    // The token is checked first: a valid one is never refused for what others sent from the same address.
    const result = match ? await authenticateToken(match[1]!) : ({ ok: false, reason: 'malformed' } as const);
    const decision = tokenLimits.decide(ip, result.ok ? result.actor.id : null);
    if (decision.kind === 'limited') {
      const message =
        decision.by === 'token'
          ? `This token made more than ${env().UMPIRE_TOKEN_RATE_LIMIT} requests in a minute; slow down`
          : `Too many invalid tokens from this address (more than ${INVALID_TOKENS_PER_MINUTE} a minute); wait a minute`;
      return { ok: false, status: 429, code: 'rate_limited', message, headers: { 'retry-after': String(decision.retryAfterSeconds) } };
    }
    if (!result.ok) {
      log.warn('auth.token_refused', { reason: result.reason, ip, requestId });
      const message = {
        malformed: 'Send the token as Authorization: Bearer <token>',
        invalid: 'The API token is not valid (unknown or revoked)',
        expired: 'The API token has expired',
      }[result.reason];
      return { ok: false, status: 401, code: 'unauthenticated', message, headers: { 'www-authenticate': `Bearer realm="umpire", error="invalid_token"` } };
    }
    return { ok: true, actor: { ...result.actor, context: { requestId, ip } }, via: 'token', sessionToken: null };
  }
  const sessionToken = sessionTokenOf(request);
  if (sessionToken) {
    const user = await authenticateSession(sessionToken, { requestId, ip: context.ip });
    if (user) return { ok: true, actor: user, via: 'session', sessionToken };
  }
  return {
    ok: true,
    actor: { kind: 'anonymous', mayRead: env().UMPIRE_ANONYMOUS_READ === 'on', context: { requestId, ip: context.ip } },
    via: 'none',
    sessionToken,
  };
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF check for a change asked with a session cookie: the page must echo the session's CSRF token in
 * X-CSRF-Token (another site can neither read it nor set the header without a CORS preflight Umpire refuses),
 * and a browser that says where the request came from must say it came from Umpire.
 */
export function csrfProblem(request: Request, sessionToken: string | null): string | null {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== publicOrigin(request) && origin !== new URL(request.url).origin)
    return `the request came from another site (${origin.slice(0, 100)})`;
  if (request.headers.get('sec-fetch-site') === 'cross-site') return 'the request came from another site';
  if (sessionToken === null) return null;
  const sent = request.headers.get(CSRF_HEADER);
  if (!sent) return `the ${CSRF_HEADER} header is missing`;
  if (!safeEqual(sent, csrfTokenFor(sessionToken))) return `the ${CSRF_HEADER} header does not match this session`;
  return null;
}
