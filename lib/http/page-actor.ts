import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import type { Actor } from '../auth/permissions';
import { can } from '../auth/permissions';
import { env } from '../env';
import { authenticateSession } from '../use-cases/access/sessions';
import { clientIp, sessionTokenOf } from './authenticate';

/**
 * Who is looking at a page: the session cookie's user, else nobody (who may read only in anonymous read-only
 * mode). Once per request, however many components ask.
 */
export const pageActor = cache(async (): Promise<Actor> => {
  const h = await headers();
  const request = new Request('http://umpire.local/', { headers: h });
  const user = await authenticateSession(sessionTokenOf(request), { ip: clientIp(request) });
  return user ?? { kind: 'anonymous', mayRead: env().UMPIRE_ANONYMOUS_READ === 'on' };
});

/** The path the page was asked for (set by proxy.ts), to come back to after sign-in. */
async function currentPath(): Promise<string> {
  return (await headers()).get('x-umpire-path') ?? '/';
}

/** The actor, if they may read; otherwise off to the sign-in page and back here afterwards. Every page calls it. */
export async function requireReader(): Promise<Actor> {
  const actor = await pageActor();
  if (!can(actor, 'read').allowed) {
    const path = await currentPath();
    redirect(path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`);
  }
  return actor;
}

/** The CSP nonce proxy.ts made for this page, for the inline scripts the layout writes. */
export async function cspNonce(): Promise<string | undefined> {
  return (await headers()).get('x-nonce') ?? undefined;
}
