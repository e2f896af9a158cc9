import { timingSafeEqual } from 'node:crypto';
import { actorName, authorize, type Actor } from '../../auth/authorize';
import { randomToken, sha256Hex } from '../../auth/credentials';
import { ingestBindingOf, type IngestBinding } from '../../auth/ingest-binding';
import { can, type Scope, type TokenActor } from '../../auth/permissions';
import {
  findApiTokenByHash,
  findApiTokenById,
  insertApiToken,
  listApiTokens as findApiTokens,
  touchApiTokenLastUsed,
  updateApiTokenRow,
  type ApiTokenWithOwner,
} from '../../db/api-tokens';
import type { ApiToken as ApiTokenRow } from '../../db/generated/client';
import { NotFoundError, UnprocessableError } from '../../errors';
import { log } from '../../log';
import {
  Role,
  tokenBindingProblems,
  TokenScope,
  type ApiToken,
  type CreatedApiToken,
  type TokenInput,
  type TokenListQuery,
  type TokenPatch,
} from '../../schemas/index';
import { audited, type AuditEntry } from '../audit/audit';
import { verifiedTokens, type VerifiedToken } from './verified-tokens';

const DAY_MS = 86_400_000;
/** Verified tokens are remembered this long: a revocation (or a change to the owner's role) takes effect in every process within it. */
const CACHE_MS = 10_000;
/** last_used_at is written at most this often per token, not on every OTLP request. */
const LAST_USED_EVERY_MS = 60_000;
const PREFIX_LENGTH = 12;

export const hashToken = sha256Hex;

type Row = ApiTokenWithOwner;

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
    serviceNames: [...row.serviceNames].sort(),
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
  await authorize(actor, 'token.create', {
    token: input.name,
    tokenKind: input.kind,
    owner: actor.kind === 'user' ? actor.id : null,
    scopes: input.scopes,
    teams: input.teams,
  });
  const token = newToken();
  const created = await audited(actor, async (tx) => {
    const row = await insertApiToken(tx, {
      name: input.name,
      kind: input.kind,
      userId: input.kind === 'personal' && actor.kind === 'user' ? actor.id : null,
      prefix: token.slice(0, PREFIX_LENGTH),
      hash: hashToken(token),
      scopes: input.scopes,
      teams: input.teams,
      serviceNames: input.serviceNames,
      createdByName: actorName(actor),
      createdAt: now,
      expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS),
    });
    const view = toApiToken(row);
    return { result: view, audit: { action: 'token.create', target: tokenTarget(row), before: null, after: view } };
  });
  log.info('token.created', {
    token: created.id,
    name: created.name,
    kind: created.kind,
    prefix: created.prefix,
    scopes: created.scopes,
    teams: created.teams,
    serviceNames: created.serviceNames,
    by: actorName(actor),
  });
  return { ...created, token };
}

/** Admins see every token; everyone else their own personal tokens (and admins too, with owner=me). */
export async function listApiTokens({ actor, query = {} }: { actor: Actor; query?: TokenListQuery }): Promise<ApiToken[]> {
  await authorize(actor, 'read');
  const ownerId = actor.kind === 'user' ? actor.id : actor.kind === 'token' ? (actor.owner?.id ?? null) : null;
  const everyone = can(actor, 'user.read').allowed && query.owner !== 'me';
  if (!everyone && ownerId === null) return [];
  const rows = await findApiTokens({
    ...(everyone ? {} : { personalOf: ownerId }),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.scope ? { scope: query.scope } : {}),
  });
  return rows.map(toApiToken);
}

async function findTokenRow(id: string): Promise<Row> {
  const found = /^[0-9a-f-]{36}$/i.test(id) ? await findApiTokenById(id) : null;
  if (!found) throw new NotFoundError(`Token ${id} does not exist`);
  return found;
}

/**
 * Renames a token or changes what it may act on: a service token's teams, an ingest token's service.name pins.
 * Exporters keep their token; every process uses the new bindings within 10 seconds (this one at once).
 */
export async function updateApiToken({ actor, id, patch }: { actor: Actor; id: string; patch: TokenPatch }): Promise<ApiToken> {
  const found = await findTokenRow(id);
  const before = toApiToken(found);
  await authorize(actor, 'token.update', {
    token: id,
    tokenKind: found.kind === 'personal' ? 'personal' : 'service',
    owner: found.userId,
    scopes: before.scopes,
    teams: before.teams,
    ...(patch.teams !== undefined ? { newTeams: patch.teams } : {}),
  });
  const problems = tokenBindingProblems({ ...before, teams: patch.teams ?? before.teams, serviceNames: patch.serviceNames ?? before.serviceNames });
  const named = Object.fromEntries(Object.entries(problems).filter(([field]) => field in patch));
  if (Object.keys(named).length > 0) throw new UnprocessableError(`Token “${found.name}” cannot take these bindings`, named);
  if (found.revokedAt) throw new UnprocessableError(`Token “${found.name}” is revoked: it cannot be changed`, { token: 'is revoked' });
  const updated = await audited(actor, async (tx) => {
    const row = await updateApiTokenRow(tx, id, { name: patch.name, teams: patch.teams, serviceNames: patch.serviceNames });
    const after = toApiToken(row);
    return { result: after, audit: { action: 'token.update', target: tokenTarget(row), before, after } };
  });
  invalidateVerifiedTokens();
  log.info('token.updated', {
    token: updated.id,
    name: updated.name,
    fields: Object.keys(patch),
    teams: updated.teams,
    serviceNames: updated.serviceNames,
    by: actorName(actor),
  });
  return updated;
}

export async function revokeApiToken({ actor, id, now = new Date() }: { actor: Actor; id: string; now?: Date }): Promise<ApiToken> {
  const found = await findTokenRow(id);
  const current = toApiToken(found);
  await authorize(actor, 'token.revoke', {
    token: id,
    tokenKind: found.kind === 'personal' ? 'personal' : 'service',
    owner: found.userId,
    scopes: current.scopes,
    teams: current.teams,
  });
  const row = found.revokedAt
    ? found
    : await audited(actor, async (tx) => {
        const updated = await updateApiTokenRow(tx, id, { revokedAt: now });
        return { result: updated, audit: { action: 'token.revoke', target: tokenTarget(updated), before: toApiToken(found), after: toApiToken(updated) } };
      });
  invalidateVerifiedTokens();
  log.info('token.revoked', { token: row.id, name: row.name, prefix: row.prefix, by: actorName(actor) });
  return toApiToken(row);
}

/**
 * Forgets every verified token, so the next request of each is checked against the database: after a token is
 * revoked, or its owner is disabled, demoted or moved to other teams (in this process at once; others within CACHE_MS).
 */
export function invalidateVerifiedTokens(): void {
  verifiedTokens.invalidate();
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
    serviceNames: row.serviceNames,
    owner: owner ? { id: owner.id, username: owner.username, role: Role.catch('viewer').parse(owner.role), teams: owner.teams } : null,
  };
}

/**
 * The actor a presented API token acts as: it must exist, not be revoked or expired, and (personal) belong to an
 * enabled user. Looked up by hash, compared in constant time; the answer is cached briefly.
 */
export async function authenticateToken(presented: string, now = new Date()): Promise<TokenAuthentication> {
  const result = await verifiedEntry(presented, now);
  return result.ok ? { ok: true, actor: { ...result.entry.actor } } : result;
}

async function verifiedEntry(
  presented: string,
  now: Date,
): Promise<{ ok: true; entry: VerifiedToken & { actor: Omit<TokenActor, 'context'> } } | { ok: false; reason: 'invalid' | 'expired' }> {
  if (presented.length === 0 || presented.length > 200) return { ok: false, reason: 'invalid' };
  const hash = hashToken(presented);
  let entry = verifiedTokens.byHash.get(hash);
  if (!entry || now.getTime() - entry.checkedAt > CACHE_MS) {
    const row = await findApiTokenByHash(hash);
    const valid = row !== null && timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash));
    entry = { actor: valid ? tokenActor(row) : null, expiresAt: row?.expiresAt ?? null, checkedAt: now.getTime() };
    if (verifiedTokens.byHash.size > 10_000) verifiedTokens.invalidate();
    verifiedTokens.byHash.set(hash, entry);
  }
  if (!entry.actor) return { ok: false, reason: 'invalid' };
  if (entry.expiresAt && entry.expiresAt <= now) return { ok: false, reason: 'expired' };
  const id = entry.actor.id;
  const last = verifiedTokens.lastUsedWritten.get(id) ?? 0;
  if (now.getTime() - last > LAST_USED_EVERY_MS) {
    verifiedTokens.lastUsedWritten.set(id, now.getTime());
    touchApiTokenLastUsed(id, now).catch((error: unknown) => log.warn('token.last_used_failed', { token: id, error }));
  }
  return { ok: true, entry: entry as VerifiedToken & { actor: Omit<TokenActor, 'context'> } };
}

export type TokenCheck = { ok: true; tokenId: string; binding: IngestBinding } | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'scope' };

/** Checks a presented token for one scope (the OTLP receiver: ingest), with what it may feed (cached with the check). */
export async function verifyApiToken(presented: string | null, scope: 'ingest', now = new Date()): Promise<TokenCheck> {
  if (!presented) return { ok: false, reason: 'missing' };
  const result = await verifiedEntry(presented, now);
  if (!result.ok) return result;
  const { entry } = result;
  const actor = entry.actor;
  if (!can(actor, scope).allowed) return { ok: false, reason: 'scope' };
  entry.binding ??= ingestBindingOf(actor);
  return { ok: true, tokenId: actor.id, binding: entry.binding };
}
