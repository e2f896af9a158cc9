import { timingSafeEqual } from 'node:crypto';
import { actorName, authorize, type Actor } from '../auth/authorize';
import { randomToken, sha256Hex } from '../auth/credentials';
import { can, type Scope, type TokenActor } from '../auth/permissions';
import { db } from '../db/client';
import type { ApiToken as ApiTokenRow, User as UserRow } from '../db/generated/client';
import { NotFoundError } from '../errors';
import { log } from '../log';
import { Role, TokenScope, type ApiToken, type CreatedApiToken, type TokenInput, type TokenListQuery } from '../schemas';
import { audited, type AuditEntry } from './audit';

const DAY_MS = 86_400_000;
/** Verified tokens are remembered this long: a revocation (or a change to the owner's role) takes effect in every process within it. */
const CACHE_MS = 10_000;
/** last_used_at is written at most this often per token, not on every OTLP request. */
const LAST_USED_EVERY_MS = 60_000;
const PREFIX_LENGTH = 12;

export const hashToken = sha256Hex;

type Row = ApiTokenRow & { user: UserRow | null };

function scopesOf(row: ApiTokenRow): Scope[] {
  return TokenScope.array().catch([]).parse(row.scopes);
}

export function toApiToken(row: Row): ApiToken {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === 'personal' ? 'personal' : 'service',
    owner: row.user?.username ?? null,
    prefix: row.prefix,
    scopes: scopesOf(row),
    teams: [...row.teams].sort(),
    createdBy: row.createdByName,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

function tokenTarget(row: ApiTokenRow): AuditEntry['target'] {
  return { type: 'token', id: row.id, name: row.name };
}

/** A new random token ("umpire_" + 32 random bytes, base64url); only its hash is stored. */
export function newToken(): string {
  return randomToken('umpire_');
}

/**
 * A service token (admins) acts as itself; a personal token acts as the signed-in person creating it, with at
 * most the scopes their role has. Shown once: only the hash is kept.
 */
export async function createApiToken({ actor, input, now = new Date() }: { actor: Actor; input: TokenInput; now?: Date }): Promise<CreatedApiToken> {
  await authorize(actor, 'token.create', { token: input.name, tokenKind: input.kind, owner: actor.kind === 'user' ? actor.id : null, scopes: input.scopes, teams: input.teams });
  const token = newToken();
  const created = await audited(actor, async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        name: input.name,
        kind: input.kind,
        userId: input.kind === 'personal' && actor.kind === 'user' ? actor.id : null,
        prefix: token.slice(0, PREFIX_LENGTH),
        hash: hashToken(token),
        scopes: input.scopes,
        teams: input.teams,
        createdByName: actorName(actor),
        createdAt: now,
        expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS),
      },
      include: { user: true },
    });
    const view = toApiToken(row);
    return { result: view, audit: { action: 'token.create', target: tokenTarget(row), before: null, after: view } };
  });
  log.info('token.created', { token: created.id, name: created.name, kind: created.kind, prefix: created.prefix, scopes: created.scopes, by: actorName(actor) });
  return { ...created, token };
}

/** Admins see every token; everyone else their own personal tokens (and admins too, with owner=me). */
export async function listApiTokens({ actor, query = {} }: { actor: Actor; query?: TokenListQuery }): Promise<ApiToken[]> {
  await authorize(actor, 'read');
  const ownerId = actor.kind === 'user' ? actor.id : actor.kind === 'token' ? (actor.owner?.id ?? null) : null;
  const everyone = can(actor, 'user.read').allowed && query.owner !== 'me';
  if (!everyone && ownerId === null) return [];
  const rows = await db().apiToken.findMany({
    where: {
      ...(everyone ? {} : { userId: ownerId, kind: 'personal' }),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.scope ? { scopes: { array_contains: [query.scope] } } : {}),
    },
    include: { user: true },
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    take: 500,
  });
  return rows.map(toApiToken);
}

export async function revokeApiToken({ actor, id, now = new Date() }: { actor: Actor; id: string; now?: Date }): Promise<ApiToken> {
  const found = /^[0-9a-f-]{36}$/i.test(id) ? await db().apiToken.findUnique({ where: { id }, include: { user: true } }) : null;
  if (!found) throw new NotFoundError(`Token ${id} does not exist`);
  await authorize(actor, 'token.revoke', { token: id, tokenKind: found.kind === 'personal' ? 'personal' : 'service', owner: found.userId });
  const row = found.revokedAt
    ? found
    : await audited(actor, async (tx) => {
        const updated = await tx.apiToken.update({ where: { id }, data: { revokedAt: now }, include: { user: true } });
        return { result: updated, audit: { action: 'token.revoke', target: tokenTarget(updated), before: toApiToken(found), after: toApiToken(updated) } };
      });
  invalidateVerifiedTokens();
  log.info('token.revoked', { token: row.id, name: row.name, prefix: row.prefix, by: actorName(actor) });
  return toApiToken(row);
}

interface Verified {
  actor: Omit<TokenActor, 'context'> | null;
  expiresAt: Date | null;
  checkedAt: number;
}
const verified = new Map<string, Verified>();
const lastUsedWritten = new Map<string, number>();

/**
 * Forgets every verified token, so the next request of each is checked against the database: after a token is
 * revoked, or its owner is disabled, demoted or moved to other teams (in this process at once; others within CACHE_MS).
 */
export function invalidateVerifiedTokens(): void {
  verified.clear();
}

export type TokenAuthentication = { ok: true; actor: TokenActor } | { ok: false; reason: 'invalid' | 'expired' };

function tokenActor(row: Row): Omit<TokenActor, 'context'> | null {
  if (row.revokedAt) return null;
  const owner = row.user;
  // A personal token of a disabled user is as good as revoked.
  if (row.kind === 'personal' && (!owner || owner.disabledAt)) return null;
  return {
    kind: 'token',
    id: row.id,
    name: row.name,
    tokenKind: row.kind === 'personal' ? 'personal' : 'service',
    scopes: scopesOf(row),
    teams: row.teams,
    owner: owner ? { id: owner.id, username: owner.username, role: Role.catch('viewer').parse(owner.role), teams: owner.teams } : null,
  };
}

/**
 * The actor a presented API token acts as: it must exist, not be revoked or expired, and (personal) belong to an
 * enabled user. Looked up by hash, compared in constant time; the answer is cached briefly.
 */
export async function authenticateToken(presented: string, now = new Date()): Promise<TokenAuthentication> {
  if (presented.length === 0 || presented.length > 200) return { ok: false, reason: 'invalid' };
  const hash = hashToken(presented);
  let entry = verified.get(hash);
  if (!entry || now.getTime() - entry.checkedAt > CACHE_MS) {
    const row = await db().apiToken.findUnique({ where: { hash }, include: { user: true } });
    const valid = row !== null && timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash));
    entry = { actor: valid ? tokenActor(row) : null, expiresAt: row?.expiresAt ?? null, checkedAt: now.getTime() };
    if (verified.size > 10_000) verified.clear();
    verified.set(hash, entry);
  }
  if (!entry.actor) return { ok: false, reason: 'invalid' };
  if (entry.expiresAt && entry.expiresAt <= now) return { ok: false, reason: 'expired' };
  const id = entry.actor.id;
  const last = lastUsedWritten.get(id) ?? 0;
  if (now.getTime() - last > LAST_USED_EVERY_MS) {
    lastUsedWritten.set(id, now.getTime());
    db()
      .apiToken.update({ where: { id }, data: { lastUsedAt: now } })
      .catch((error: unknown) => log.warn('token.last_used_failed', { token: id, error }));
  }
  return { ok: true, actor: { ...entry.actor } };
}

export type TokenCheck = { ok: true; tokenId: string } | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'scope' };

/** Checks a presented token for one scope (the OTLP receiver: ingest). */
export async function verifyApiToken(presented: string | null, scope: 'ingest', now = new Date()): Promise<TokenCheck> {
  if (!presented) return { ok: false, reason: 'missing' };
  const result = await authenticateToken(presented, now);
  if (!result.ok) return result;
  if (!can(result.actor, scope).allowed) return { ok: false, reason: 'scope' };
  return { ok: true, tokenId: result.actor.id };
}

/** For tests: forget cached verifications. */
export function forgetVerifiedTokens(): void {
  verified.clear();
  lastUsedWritten.clear();
}
