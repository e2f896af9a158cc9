import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { authorize, type Actor } from '../auth/authorize';
import { db } from '../db/client';
import type { ApiToken as ApiTokenRow } from '../db/generated/client';
import { NotFoundError } from '../errors';
import { log } from '../log';
import { TokenScope, type ApiToken, type CreatedApiToken, type TokenInput } from '../schemas';

const DAY_MS = 86_400_000;
/** Verified tokens are remembered this long: a revocation takes effect in every process within it. */
const CACHE_MS = 10_000;
/** last_used_at is written at most this often per token, not on every OTLP request. */
const LAST_USED_EVERY_MS = 60_000;
const PREFIX_LENGTH = 12;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: TokenScope.array().catch([]).parse(row.scopes),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** A new random token ("umpire_" + 32 random bytes, base64url); only its hash is stored. */
export function newToken(): string {
  return `umpire_${randomBytes(32).toString('base64url')}`;
}

export async function createApiToken({ actor, input }: { actor: Actor; input: TokenInput }): Promise<CreatedApiToken> {
  await authorize(actor, 'token.create', { token: input.name });
  const token = newToken();
  const row = await db().apiToken.create({
    data: {
      name: input.name,
      prefix: token.slice(0, PREFIX_LENGTH),
      hash: hashToken(token),
      scopes: input.scopes,
      expiresAt: input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * DAY_MS),
    },
  });
  log.info('token.created', { token: row.id, name: row.name, prefix: row.prefix, scopes: input.scopes });
  return { ...toApiToken(row), token };
}

export async function listApiTokens(): Promise<ApiToken[]> {
  const rows = await db().apiToken.findMany({ orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }] });
  return rows.map(toApiToken);
}

export async function revokeApiToken({ actor, id }: { actor: Actor; id: string }): Promise<ApiToken> {
  await authorize(actor, 'token.revoke', { token: id });
  const found = /^[0-9a-f-]{36}$/i.test(id) ? await db().apiToken.findUnique({ where: { id } }) : null;
  if (!found) throw new NotFoundError(`Token ${id} does not exist`);
  const row = found.revokedAt ? found : await db().apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  verified.clear();
  log.info('token.revoked', { token: row.id, name: row.name, prefix: row.prefix });
  return toApiToken(row);
}

interface Verified {
  id: string | null;
  scopes: string[];
  expiresAt: Date | null;
  checkedAt: number;
}
const verified = new Map<string, Verified>();
const lastUsedWritten = new Map<string, number>();

export type TokenCheck = { ok: true; tokenId: string } | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'scope' };

/**
 * Checks a presented token for a scope: it must exist, not be revoked or expired, and carry the scope.
 * Looked up by hash (the hash is compared in constant time); the answer is cached briefly.
 */
export async function verifyApiToken(presented: string | null, scope: TokenScope, now = new Date()): Promise<TokenCheck> {
  if (!presented) return { ok: false, reason: 'missing' };
  if (presented.length > 200) return { ok: false, reason: 'invalid' };
  const hash = hashToken(presented);
  let entry = verified.get(hash);
  if (!entry || now.getTime() - entry.checkedAt > CACHE_MS) {
    const row = await db().apiToken.findUnique({ where: { hash } });
    const valid = row && row.revokedAt === null && timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash));
    entry = valid
      ? { id: row.id, scopes: TokenScope.array().catch([]).parse(row.scopes), expiresAt: row.expiresAt, checkedAt: now.getTime() }
      : { id: null, scopes: [], expiresAt: null, checkedAt: now.getTime() };
    if (verified.size > 10_000) verified.clear();
    verified.set(hash, entry);
  }
  if (!entry.id) return { ok: false, reason: 'invalid' };
  if (entry.expiresAt && entry.expiresAt <= now) return { ok: false, reason: 'expired' };
  if (!entry.scopes.includes(scope)) return { ok: false, reason: 'scope' };
  const last = lastUsedWritten.get(entry.id) ?? 0;
  if (now.getTime() - last > LAST_USED_EVERY_MS) {
    lastUsedWritten.set(entry.id, now.getTime());
    db()
      .apiToken.update({ where: { id: entry.id }, data: { lastUsedAt: now } })
      .catch((error: unknown) => log.warn('token.last_used_failed', { token: entry.id, error }));
  }
  return { ok: true, tokenId: entry.id };
}

/** For tests: forget cached verifications. */
export function forgetVerifiedTokens(): void {
  verified.clear();
  lastUsedWritten.clear();
}
