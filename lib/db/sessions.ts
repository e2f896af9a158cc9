import { db } from './client';
import type { Session as SessionRow, User as UserRow } from './generated/client';
import type { Tx } from './transaction';

export function insertSession(
  tx: Tx,
  columns: Pick<SessionRow, 'tokenHash' | 'userId' | 'method' | 'ip' | 'userAgent' | 'createdAt' | 'lastSeenAt' | 'expiresAt'>,
): Promise<SessionRow> {
  return tx.session.create({ data: columns });
}

/** Ends the session with this token hash; how many ended (0 or 1). */
export async function deleteSessionByTokenHash(tx: Tx, tokenHash: string): Promise<number> {
  return (await tx.session.deleteMany({ where: { tokenHash } })).count;
}

/** Ends every session of the user, but the one given. */
export async function deleteSessionsOfUser(tx: Tx, userId: string, exceptId?: string): Promise<void> {
  await tx.session.deleteMany({ where: { userId, ...(exceptId === undefined ? {} : { id: { not: exceptId } }) } });
}

export function findSessionByTokenHash(tokenHash: string): Promise<(SessionRow & { user: UserRow }) | null> {
  return db().session.findUnique({ where: { tokenHash }, include: { user: true } });
}

/** How the session signed in, if it still exists. */
export async function findSessionMethod(id: string): Promise<string | null> {
  return (await db().session.findUnique({ where: { id }, select: { method: true } }))?.method ?? null;
}

export async function touchSession(id: string, at: Date): Promise<void> {
  await db().session.updateMany({ where: { id }, data: { lastSeenAt: at } });
}

/** Sessions past their end, or idle since before `idleCutoff`, go. */
export async function deleteEndedSessions(now: Date, idleCutoff: Date): Promise<void> {
  await db().session.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { lastSeenAt: { lt: idleCutoff } }] } });
}
