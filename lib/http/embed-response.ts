import { env } from '../env';
import { log } from '../log';
import { EmbedView, type EmbedView as EmbedViewType } from '../schemas';
import { publicOrigin } from './origin';

/** Short: a revoked link stops showing within a minute even behind an image proxy. */
const SHARED = 'public, max-age=60';
/** Only the asker's own cache: the answer depends on headers a shared cache does not key on. */
const PRIVATE = 'private, max-age=60';

/**
 * The origin an embed's links back to Umpire are built on, and who may cache the answer. With UMPIRE_PUBLIC_URL
 * the links are the same whoever asks, so shared caches (image proxies, CDNs) may keep it. Without, they follow
 * the request's Host / X-Forwarded-Host, which a shared cache keyed on the URL ignores: one asker could plant
 * links to their host for everyone else (cache poisoning), so the answer is private.
 */
export function embedOrigin(request: Request): { origin: string; cacheControl: string } {
  const configured = env().UMPIRE_PUBLIC_URL !== undefined;
  return { origin: publicOrigin(request), cacheControl: configured ? SHARED : PRIVATE };
}

/**
 * Where embeds may be framed: UMPIRE_EMBED_FRAME_ANCESTORS (CSP source list), default any; Umpire itself always
 * (the Embed dialog previews the panel in a frame).
 */
export function frameAncestors(): string {
  const configured = env().UMPIRE_EMBED_FRAME_ANCESTORS;
  if (!configured || configured === '*') return '*';
  return configured.includes("'self'") ? configured : `'self' ${configured}`;
}

/**
 * Headers of every embed response: framable (only here), no script, nothing loaded from elsewhere. Cacheable by
 * anyone unless told otherwise (`embedOrigin(request).cacheControl` for answers that hold links).
 */
export function embedHeaders(contentType: string, cacheControl: string = SHARED): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors ${frameAncestors()}`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': cacheControl,
  };
}

/** The one answer for every token that does not grant anything: it tells nothing about what exists. */
export function embedNotFound(): Response {
  return new Response('Not found\n', { status: 404, headers: { ...embedHeaders('text/plain; charset=utf-8'), 'cache-control': 'no-store' } });
}

export function parseView(request: Request): { ok: true; view: EmbedViewType } | { ok: false; response: Response } {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = EmbedView.safeParse(params);
  if (parsed.success) return { ok: true, view: parsed.data };
  const message = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
  return {
    ok: false,
    response: new Response(`Bad request: ${message}\n`, {
      status: 400,
      headers: { ...embedHeaders('text/plain; charset=utf-8'), 'cache-control': 'no-store' },
    }),
  };
}

export function embedFailure(error: unknown, token: string): Response {
  log.error('embed.failed', { token: token.slice(0, 8), error });
  return new Response('Umpire could not draw this panel right now.\n', {
    status: 503,
    headers: { ...embedHeaders('text/plain; charset=utf-8'), 'cache-control': 'no-store', 'retry-after': '30' },
  });
}
