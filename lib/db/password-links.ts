import { db } from './client';
import type { PasswordLink as PasswordLinkRow, User as UserRow } from './generated/client';
import type { Tx } from './transaction';

/** Stores a new link, replacing the live (unused) one of the same user and purpose: one live link each. */
export async function replacePasswordLink(
  tx: Tx,
  link: Pick<PasswordLinkRow, 'tokenHash' | 'purpose' | 'userId' | 'createdBy' | 'createdAt' | 'expiresAt'>,
): Promise<void> {
  await tx.passwordLink.deleteMany({ where: { purpose: link.purpose, userId: link.userId, usedAt: null } });
  await tx.passwordLink.create({ data: link });
}

export function findPasswordLinkByTokenHash(tx: Tx, tokenHash: string): Promise<(PasswordLinkRow & { user: UserRow | null }) | null> {
  return tx.passwordLink.findUnique({ where: { tokenHash }, include: { user: true } });
}

/** Marks the link used, unless it was already; whether this call did. */
export async function markPasswordLinkUsed(tx: Tx, id: string, at: Date): Promise<boolean> {
  return (await tx.passwordLink.updateMany({ where: { id, usedAt: null }, data: { usedAt: at } })).count > 0;
}

/** Links that expired before `cutoff` go. */
export async function deletePasswordLinksExpiredBefore(cutoff: Date): Promise<void> {
  await db().passwordLink.deleteMany({ where: { expiresAt: { lt: cutoff } } });
}
