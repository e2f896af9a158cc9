import { createHmac, timingSafeEqual } from 'node:crypto';
import { env } from '../env';

// Embed tokens: "<id>.<signature>", the id of the embed_tokens row signed with a key derived from
// UMPIRE_SECRET_KEY. A token cannot be forged or altered to name another row, and the row can be revoked.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class EmbedKeyMissingError extends Error {
  constructor() {
    super('Set UMPIRE_SECRET_KEY (at least 16 characters) to create embed links: they are signed with it');
    this.name = 'EmbedKeyMissingError';
  }
}

function mac(id: string, secretKey: string): Buffer {
  // A key of its own for embeds, derived from the secret, so signatures never double as anything else.
  const key = createHmac('sha256', secretKey).update('umpire embed token v1').digest();
  return createHmac('sha256', key).update(id).digest();
}

export function signEmbedToken(id: string, secretKey = env().UMPIRE_SECRET_KEY): string {
  if (!secretKey || secretKey.length < 16) throw new EmbedKeyMissingError();
  return `${id.replace(/-/g, '')}.${mac(id, secretKey).subarray(0, 18).toString('base64url')}`;
}

/** The row id a token names, or null when it is malformed or its signature does not match. */
export function verifyEmbedToken(token: string, secretKey = env().UMPIRE_SECRET_KEY): string | null {
  if (!secretKey || secretKey.length < 16 || token.length > 100) return null;
  const match = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{24})$/.exec(token);
  if (!match) return null;
  const hex = match[1]!;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (!UUID.test(id)) return null;
  const expected = mac(id, secretKey).subarray(0, 18);
  const given = Buffer.from(match[2]!, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}
