import { db } from './client';
import type { ApiToken as ApiTokenRow, Prisma, User as UserRow } from './generated/client';
import type { Tx } from './transaction';

/** A token's row with its owner (personal tokens). */
export type ApiTokenWithOwner = ApiTokenRow & { user: UserRow | null };

export function insertApiToken(tx: Tx, columns: Prisma.ApiTokenUncheckedCreateInput): Promise<ApiTokenWithOwner> {
  return tx.apiToken.create({ data: columns, include: { user: true } });
}

/** Which tokens to list; every field given must match. */
export interface ApiTokenFilter {
  /** Personal tokens of this user only. */
  personalOf?: string | null;
  kind?: string;
  /** Tokens holding this scope. */
  scope?: string;
}

/** Tokens matching the filter, live ones first, newest first, at most 500. */
export function listApiTokens(filter: ApiTokenFilter): Promise<ApiTokenWithOwner[]> {
  return db().apiToken.findMany({
    where: {
      ...(filter.personalOf !== undefined ? { userId: filter.personalOf, kind: 'personal' } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.scope ? { scopes: { array_contains: [filter.scope] } } : {}),
    },
    include: { user: true },
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    take: 500,
  });
}

export function findApiTokenById(id: string): Promise<ApiTokenWithOwner | null> {
  return db().apiToken.findUnique({ where: { id }, include: { user: true } });
}

export function findApiTokenByHash(hash: string): Promise<ApiTokenWithOwner | null> {
  return db().apiToken.findUnique({ where: { hash }, include: { user: true } });
}

/** Changes the token's columns (undefined: left as is). */
export function updateApiTokenRow(
  tx: Tx,
  id: string,
  changes: Pick<Prisma.ApiTokenUpdateInput, 'name' | 'teams' | 'serviceNames' | 'revokedAt'>,
): Promise<ApiTokenWithOwner> {
  return tx.apiToken.update({ where: { id }, data: changes, include: { user: true } });
}

export async function touchApiTokenLastUsed(id: string, at: Date): Promise<void> {
  await db().apiToken.update({ where: { id }, data: { lastUsedAt: at } });
}

/** Stores the token with this hash unless it is stored already (then it is left as it is, revoked or not). */
export async function ensureApiTokenRow(columns: Prisma.ApiTokenUncheckedCreateInput & { hash: string }): Promise<void> {
  await db().apiToken.upsert({ where: { hash: columns.hash }, create: columns, update: {} });
}

/**
 * Creates the self-observation ingest token's row, or pins an existing one (revoked or not: a revoked row stays
 * revoked) to `serviceNames`. An upsert, as several processes may start at once.
 */
export async function upsertSelfIngestToken(row: {
  name: string;
  prefix: string;
  hash: string;
  scopes: string[];
  serviceNames: string[];
  createdByName: string;
}): Promise<void> {
  const { name, prefix, hash, scopes, serviceNames, createdByName } = row;
  await db().apiToken.upsert({
    where: { hash },
    create: { name, prefix, hash, scopes, serviceNames, createdByName },
    update: { serviceNames },
  });
}
