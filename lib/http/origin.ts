/**
 * The origin links are built on: UMPIRE_PUBLIC_URL when Umpire sits behind a proxy that changes it, else the
 * request's own.
 */
export function publicOrigin(request: Request): string {
  const configured = process.env.UMPIRE_PUBLIC_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  return new URL(request.url).origin;
}
