import { db } from './client';
import type { User as UserRow } from './generated/client';

/** The user with this username (stored lower-case), if any. */
export function findUserByUsername(username: string): Promise<UserRow | null> {
  return db().user.findUnique({ where: { username } });
}
