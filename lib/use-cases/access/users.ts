import { actorName, authorize, type Actor } from '../../auth/authorize';
import { randomToken, sha256Hex } from '../../auth/credentials';
import { hashPassword, passwordProblem } from '../../auth/password';
import type { User as UserRow } from '../../db/generated/client';
import { replacePasswordLink } from '../../db/password-links';
import { deleteSessionsOfUser } from '../../db/sessions';
import { listOwnerTeams } from '../../db/services';
import {
  countOtherActiveAdmins,
  findPendingInvite,
  findUserByUsername,
  insertUser,
  listUserTeams,
  listUsers as findUsers,
  updateUserRow,
} from '../../db/users';
import { ConflictError, NotFoundError, prismaErrorCode, UnprocessableError } from '../../errors';
import { env } from '../../env';
import { log } from '../../log';
import { Role as RoleSchema, type CreatedUser, type PasswordLinkView, type User, type UserInput, type UserPatch } from '../../schemas/index';
import { invalidateVerifiedTokens } from './api-tokens';
import { audited, type AuditEntry, type Tx } from '../audit/audit';

const HOUR_MS = 3_600_000;
/** How long one-time password links stay valid. */
export const LINK_HOURS = { setup: 24, invite: 72, reset: 24 } as const;
export type LinkPurpose = keyof typeof LINK_HOURS;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    role: RoleSchema.catch('viewer').parse(row.role),
    teams: [...row.teams].sort(),
    signIn: { password: row.passwordHash !== null, oidc: row.oidcSubject !== null, ssoInvited: row.ssoInvite },
    disabled: row.disabledAt !== null,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function userTarget(row: Pick<UserRow, 'id' | 'username'>): AuditEntry['target'] {
  return { type: 'user', id: row.id, name: row.username };
}

export async function findUserRow(username: string): Promise<UserRow> {
  const row = await findUserByUsername(username.toLowerCase());
  if (!row) throw new NotFoundError(`User "${username}" does not exist`);
  return row;
}

/** Refuses a weak password on the field that carries it. */
export function assertPassword(password: string, username: string, field = 'password'): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new UnprocessableError(`The password ${problem}`, { [field]: problem });
}

/** A one-time link to set a password; only its hash is kept. The token goes after # so no server or proxy logs it. */
export async function createPasswordLink(
  tx: Tx,
  { purpose, userId, createdBy, origin, now = new Date() }: { purpose: LinkPurpose; userId: string | null; createdBy: string; origin: string; now?: Date },
): Promise<PasswordLinkView> {
  const token = randomToken('');
  const expiresAt = new Date(now.getTime() + LINK_HOURS[purpose] * HOUR_MS);
  // One live link per user and purpose: a new one replaces the last.
  await replacePasswordLink(tx, { tokenHash: sha256Hex(token), purpose, userId, createdBy, createdAt: now, expiresAt });
  const page = purpose === 'setup' ? 'setup' : 'set-password';
  return { url: `${origin}/${page}#token=${token}`, expiresAt: expiresAt.toISOString() };
}

export async function listUsers({ actor }: { actor: Actor }): Promise<User[]> {
  await authorize(actor, 'user.read');
  const rows = await findUsers();
  return rows.map(toUser);
}

export async function getUser({ actor, username }: { actor: Actor; username: string }): Promise<User> {
  await authorize(actor, 'user.read');
  return toUser(await findUserRow(username));
}

/** Every team some service or user names: what the user form offers. */
export async function listTeamNames(): Promise<string[]> {
  const [serviceTeams, userTeams] = await Promise.all([listOwnerTeams(), listUserTeams()]);
  return [...new Set([...serviceTeams, ...userTeams.flat()])].sort();
}

export async function createUser({ actor, input, origin }: { actor: Actor; input: UserInput; origin: string }): Promise<CreatedUser> {
  await authorize(actor, 'user.create');
  const sso = input.signIn === 'sso';
  if (sso && !env().UMPIRE_OIDC_ISSUER)
    throw new UnprocessableError('Single sign-on is not configured here (UMPIRE_OIDC_ISSUER)', { signIn: 'single sign-on is not configured' });
  if (input.password !== undefined) assertPassword(input.password, input.username);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  try {
    const created = await audited(actor, async (tx) => {
      if (sso && (await pendingInvite(tx, input.email!)) !== null) {
        throw new ConflictError(`Someone added for single sign-on already has the email ${input.email}`, { email: 'is already waiting for a first sign-in' });
      }
      const row = await insertUser(tx, {
        username: input.username,
        displayName: input.displayName,
        email: input.email ?? null,
        role: input.role,
        teams: input.teams,
        passwordHash,
        ssoInvite: sso,
      });
      const link =
        passwordHash === null && !sso ? await createPasswordLink(tx, { purpose: 'invite', userId: row.id, createdBy: actorName(actor), origin }) : null;
      return { result: { ...toUser(row), passwordLink: link }, audit: { action: 'user.create', target: userTarget(row), before: null, after: toUser(row) } };
    });
    log.info('user.created', { user: created.username, role: created.role, teams: created.teams, by: actorName(actor) });
    return created;
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') throw new ConflictError(`A user named "${input.username}" already exists`, { username: 'is already taken' });
    throw error;
  }
}

/** The user added for single sign-on with this email who has not signed in yet, if any (emails compare case-blind). */
export async function pendingInvite(tx: Tx, email: string, exceptId?: string): Promise<UserRow | null> {
  return findPendingInvite(tx, email, exceptId);
}

/** Admins remaining besides `exceptId`: the last one may not be demoted or disabled (nobody could fix it). */
async function otherActiveAdmins(tx: Tx, exceptId: string): Promise<number> {
  return countOtherActiveAdmins(tx, exceptId);
}

export async function updateUser({
  actor,
  username,
  patch,
  now = new Date(),
}: {
  actor: Actor;
  username: string;
  patch: UserPatch;
  now?: Date;
}): Promise<User> {
  await authorize(actor, 'user.update', { user: username });
  const existing = await findUserRow(username);
  const losesAdmin =
    existing.role === 'admin' && existing.disabledAt === null && ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
  const updated = await audited(actor, async (tx) => {
    if (losesAdmin && (await otherActiveAdmins(tx, existing.id)) === 0) {
      throw new ConflictError(`"${existing.username}" is the last admin: make someone else an admin first`, {
        [patch.disabled === true ? 'disabled' : 'role']: 'would leave Umpire without an admin',
      });
    }
    if (existing.ssoInvite && patch.email !== undefined) {
      // Their first single sign-on is recognised by this email: it must stay, and stay theirs alone.
      if (patch.email === null)
        throw new UnprocessableError('Someone added for single sign-on needs an email: it is how their first sign-in is recognised', {
          email: 'is required for single sign-on',
        });
      if ((await pendingInvite(tx, patch.email, existing.id)) !== null)
        throw new ConflictError(`Someone added for single sign-on already has the email ${patch.email}`, { email: 'is already waiting for a first sign-in' });
    }
    const row = await updateUserRow(tx, existing.id, {
      displayName: patch.displayName,
      email: patch.email,
      role: patch.role,
      teams: patch.teams,
      ...(patch.disabled === undefined ? {} : { disabledAt: patch.disabled ? (existing.disabledAt ?? now) : null }),
    });
    // Disabling signs them out everywhere at once; role and team changes apply to their next request anyway.
    if (patch.disabled === true) await deleteSessionsOfUser(tx, row.id);
    return {
      result: row,
      audit: { action: patch.disabled === true ? 'user.disable' : 'user.update', target: userTarget(row), before: toUser(existing), after: toUser(row) },
    };
  });
  // Their personal tokens act with their role, teams and status: a remembered verification would outlive the change.
  invalidateVerifiedTokens();
  log.info('user.updated', { user: updated.username, fields: Object.keys(patch), by: actorName(actor) });
  return toUser(updated);
}

/** A new one-time link for a user to set their password (forgotten, or never set). Their sessions are kept until it is used. */
export async function createResetLink({ actor, username, origin }: { actor: Actor; username: string; origin: string }): Promise<PasswordLinkView> {
  await authorize(actor, 'user.update', { user: username });
  const row = await findUserRow(username);
  const link = await audited(actor, async (tx) => ({
    result: await createPasswordLink(tx, { purpose: 'reset', userId: row.id, createdBy: actorName(actor), origin }),
    audit: { action: 'user.reset_link', target: userTarget(row), details: { purpose: 'reset' } },
  }));
  log.info('user.reset_link_created', { user: row.username, by: actorName(actor) });
  return link;
}
