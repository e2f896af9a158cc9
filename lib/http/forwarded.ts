/**
 * The client's address, as far as Umpire can know it. A reverse proxy appends the address it saw connect to
 * X-Forwarded-For; Umpire's own server (scripts/server.ts) appends the address that connected to it, so the last
 * entry is always the real peer and whatever a client wrote before it is only a claim. With
 * UMPIRE_TRUSTED_PROXIES = n proxies in front, the client is the entry n places before the last: the address the
 * outermost trusted proxy saw.
 */

/** An IPv4 peer on a dual-stack socket is reported as ::ffff:a.b.c.d; it is the same address. */
export function plainAddress(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

/** X-Forwarded-For with the peer that connected appended, as a proxy would append it. */
export function withPeer(forwardedFor: string | string[] | undefined, peer: string | undefined): string {
  const sent = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return [...sent, plainAddress(peer ?? 'unknown')].join(', ');
}

/** The client: the entry `trustedProxies` places before the last (the peer), or the first there is. */
export function clientAddress(forwardedFor: string | null, trustedProxies: number): string {
  const entries = (forwardedFor ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const ip = entries[Math.max(0, entries.length - 1 - trustedProxies)];
  return (ip ?? 'unknown').slice(0, 64);
}
