import { db } from './client';
import type { Prisma, User as UserRow } from './generated/client';
import type { Tx } from './transaction';

/** The user with this username (stored lower-case), if any. */
export function findUserByUsername(username: string): Promise<UserRow | null> {
  return db().user.findUnique({ where: { username } });
}

/** The user with this id; throws (Prisma's P2025) when there is none. */
export function getUserById(id: string): Promise<UserRow> {
  return db().user.findUniqueOrThrow({ where: { id } });
}

/** The account the identity provider knows by (issuer, subject), if any. */
export function findUserByOidcSubject(tx: Tx, oidcIssuer: string, oidcSubject: string): Promise<UserRow | null> {
  return tx.user.findUnique({ where: { oidcIssuer_oidcSubject: { oidcIssuer, oidcSubject } } });
}

/** Every user, enabled ones first, by username. */
export function listUsers(): Promise<UserRow[]> {
  return db().user.findMany({ orderBy: [{ disabledAt: { sort: 'asc', nulls: 'first' } }, { username: 'asc' }] });
}

/** The teams of every user, one list per user. */
export async function listUserTeams(): Promise<string[][]> {
  return (await db().user.findMany({ select: { teams: true } })).map((u) => u.teams);
}

/** Which of these usernames are taken. */
export async function takenUsernames(tx: Tx, usernames: string[]): Promise<Set<string>> {
  return new Set((await tx.user.findMany({ where: { username: { in: usernames } }, select: { username: true } })).map((u) => u.username));
}

/** How many users there are (in the transaction when given one). */
export function countUsers(tx?: Tx): Promise<number> {
  return (tx ?? db()).user.count();
}

/** Enabled admins other than `exceptId`. */
export function countOtherActiveAdmins(tx: Tx, exceptId: string): Promise<number> {
  return tx.user.count({ where: { role: 'admin', disabledAt: null, id: { not: exceptId } } });
}

/** The user added for single sign-on with this email who has not signed in yet, if any (emails compare case-blind). */
export function findPendingInvite(tx: Tx, email: string, exceptId?: string): Promise<UserRow | null> {
  return tx.user.findFirst({
    where: { ssoInvite: true, oidcSubject: null, email: { equals: email, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
  });
}

export function insertUser(tx: Tx, columns: Prisma.UserCreateInput): Promise<UserRow> {
  return tx.user.create({ data: columns });
}

/** Changes the user's columns (undefined: left as is). */
export function updateUserRow(tx: Tx, id: string, changes: Prisma.UserUpdateInput): Promise<UserRow> {
  return tx.user.update({ where: { id }, data: changes });
}

/** Gives an invited account its identity at the provider, if it is still waiting for one; throws (P2025) when not. */
export function linkInvitedUser(tx: Tx, id: string, oidcIssuer: string, oidcSubject: string): Promise<UserRow> {
  return tx.user.update({ where: { id, ssoInvite: true, oidcSubject: null }, data: { oidcIssuer, oidcSubject, ssoInvite: false } });
}
