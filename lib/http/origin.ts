import { env } from '../env';

/**
 * The origin links are built on: UMPIRE_PUBLIC_URL when set (behind a proxy that rewrites the host), else the
 * Host the client reached Umpire at (`next start` reports every request.url as localhost), with the scheme a
 * TLS-terminating proxy says it used.
 */
export function publicOrigin(request: Request): string {
  const configured = env().UMPIRE_PUBLIC_URL;
  if (configured) return configured;
  const url = new URL(request.url);
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host')?.trim();
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || url.protocol.replace(/:$/, '');
  // Only a plain host[:port]: whatever else a header says never ends up inside a link.
  if (!host || !/^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host) || !/^https?$/.test(proto)) return url.origin;
  return `${proto}://${host}`;
}
