import { actorName, systemActor, type Actor } from '../../auth/authorize';
import { csrfTokenFor, randomToken, sha256Hex } from '../../auth/credentials';
import { hashPassword, verifyPassword } from '../../auth/password';
import { principalOf, type RequestContext, type UserActor } from '../../auth/permissions';
import type { User as UserRow } from '../../db/generated/client';
import { deleteExpiredLoginFlows } from '../../db/login-flows';
import { deletePasswordLinksExpiredBefore, findPasswordLinkByTokenHash, markPasswordLinkUsed } from '../../db/password-links';
import {
  deleteEndedSessions,
  deleteSessionByTokenHash,
  deleteSessionsOfUser,
  findSessionByTokenHash,
  findSessionMethod,
  insertSession,
  touchSession,
} from '../../db/sessions';
import { transaction } from '../../db/transaction';
import { countUsers, findUserByUsername, getUserById, insertUser, updateUserRow } from '../../db/users';
import { env } from '../../env';
import { ForbiddenError, RateLimitedError, UnauthenticatedError, UnprocessableError } from '../../errors';
import { log } from '../../log';
import { Role, type AuthConfig, type LoginInput, type Me, type PasswordChange, type PasswordLinkInput, type SetupInput, type User } from '../../schemas/index';
import { recordAudit, type Tx } from '../audit/audit';
import { signInAttempts } from './sign-in-attempts';
import { assertPassword, createPasswordLink, toUser, userTarget } from './users';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** lastSeenAt is written at most this often per session, not on every request. */
const TOUCH_EVERY_MS = MINUTE_MS;

/** A new browser session: the cookie values to set, and when it ends at the latest. */
export interface SessionGrant {
  token: string;
  csrf: string;
  expiresAt: Date;
  user: User;
}

function sessionExpiry(now: Date): Date {
  return new Date(now.getTime() + env().UMPIRE_SESSION_HOURS * HOUR_MS);
}

let lastPrune = 0;

/** Ended sessions, used-up sign-in flows and expired links go, now and then. */
export async function pruneExpired(now: Date): Promise<void> {
  if (now.getTime() - lastPrune < 10 * MINUTE_MS) return;
  lastPrune = now.getTime();
  const idleCutoff = new Date(now.getTime() - env().UMPIRE_SESSION_IDLE_HOURS * HOUR_MS);
  await Promise.all([
    deleteEndedSessions(now, idleCutoff),
    deleteExpiredLoginFlows(now),
    deletePasswordLinksExpiredBefore(new Date(now.getTime() - 7 * 24 * HOUR_MS)),
  ]);
}

/**
 * Starts a session for a user who has just proved who they are. Always a new token (a session id set before
 * sign-in is never promoted: no session fixation); the session the browser had, if any, ends.
 */
export async function startSession(
  tx: Tx,
  {
    user,
    method,
    context,
    previousToken,
    now = new Date(),
  }: { user: UserRow; method: 'password' | 'oidc'; context: RequestContext & { userAgent?: string }; previousToken?: string | null; now?: Date },
): Promise<SessionGrant> {
  const token = randomToken('');
  const expiresAt = sessionExpiry(now);
  if (previousToken) await deleteSessionByTokenHash(tx, sha256Hex(previousToken));
  await insertSession(tx, {
    tokenHash: sha256Hex(token),
    userId: user.id,
    method,
    ip: context.ip ?? null,
    userAgent: context.userAgent?.slice(0, 300) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  const updated = await updateUserRow(tx, user.id, { lastLoginAt: now });
  const actor = userActorOf(updated, 'new', context);
  await recordAudit(tx, actor, { action: 'user.login', target: userTarget(updated), details: { method } }, now);
  return { token, csrf: csrfTokenFor(token), expiresAt, user: toUser(updated) };
}

function userActorOf(row: UserRow, sessionId: string, context?: RequestContext): UserActor {
  return {
    kind: 'user',
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: Role.catch('viewer').parse(row.role),
    teams: row.teams,
    sessionId,
    ...(context ? { context } : {}),
  };
}

/**
 * Admits a password check for `username` from `ip`, or refuses it with 429; waits the username's brake first.
 * The caller says how it ended with the returned function.
 */
async function admit(username: string, ip: string, now: Date): Promise<(succeeded: boolean) => void> {
  const admission = signInAttempts.begin(username, ip, now.getTime());
  if (admission.kind === 'refused') {
    const seconds = admission.retryAfterSeconds;
    const wait = seconds > 60 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} second${seconds === 1 ? '' : 's'}`;
    const why = { pair: 'for this username from this address', address: 'from this address', attempts: 'from this address in the last minute' }[admission.by];
    throw new RateLimitedError(`Too many sign-in attempts ${why}; try again in ${wait}`, seconds);
  }
  if (admission.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, admission.delayMs));
  return admission.finish;
}

/** Sign-in with username and password. Wrong username and wrong password get the same answer, in the same time. */
export async function signIn({
  input,
  context,
  previousToken,
  now = new Date(),
}: {
  input: LoginInput;
  context: RequestContext & { userAgent?: string };
  previousToken?: string | null;
  now?: Date;
}): Promise<SessionGrant> {
  if (env().UMPIRE_PASSWORD_LOGIN === 'off') throw new ForbiddenError('Sign-in with a password is turned off here; use single sign-on');
  const ip = context.ip ?? 'unknown';
  const finish = await admit(input.username, ip, now);

  void pruneExpired(now).catch((error: unknown) => log.warn('auth.prune_failed', { error }));
  const row = await findUserByUsername(input.username);
  const check = await verifyPassword(input.password, row?.passwordHash ?? null);
  finish(row !== null && check.ok);
  if (!row || !check.ok) {
    log.warn('auth.login_failed', { username: input.username, ip, reason: row ? 'wrong_password' : 'unknown_user', requestId: context.requestId });
    throw new UnauthenticatedError('Wrong username or password');
  }
  if (row.disabledAt) {
    log.warn('auth.login_failed', { username: row.username, ip, reason: 'disabled', requestId: context.requestId });
    throw new ForbiddenError('This account is disabled; ask an admin');
  }
  const passwordHash = check.rehash ? await hashPassword(input.password) : null;
  const grant = await transaction(async (tx) => {
    if (passwordHash) await updateUserRow(tx, row.id, { passwordHash });
    return startSession(tx, { user: row, method: 'password', context, previousToken, now });
  });
  log.info('auth.login', { user: row.username, method: 'password', ip, requestId: context.requestId });
  return grant;
}

/** The user a session cookie belongs to, or null when it is unknown, ended, idle too long or the user is disabled. */
export async function authenticateSession(token: string | undefined | null, context?: RequestContext, now = new Date()): Promise<UserActor | null> {
  if (!token || token.length > 200) return null;
  const session = await findSessionByTokenHash(sha256Hex(token));
  if (!session) return null;
  const idleLimit = env().UMPIRE_SESSION_IDLE_HOURS * HOUR_MS;
  if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > idleLimit || session.user.disabledAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    touchSession(session.id, now).catch((error: unknown) => log.warn('auth.session_touch_failed', { session: session.id, error }));
  }
  return userActorOf(session.user, session.id, context);
}

/** Ends the session the cookie names (others of the same user stay). */
export async function signOut({ actor, token, now = new Date() }: { actor: Actor; token: string | null | undefined; now?: Date }): Promise<void> {
  if (!token) return;
  await transaction(async (tx) => {
    const count = await deleteSessionByTokenHash(tx, sha256Hex(token));
    if (count > 0 && actor.kind === 'user') await recordAudit(tx, actor, { action: 'user.logout', target: userTarget(actor) }, now);
  });
  if (actor.kind === 'user') log.info('auth.logout', { user: actor.username, requestId: actor.context?.requestId });
}

async function takeLink(tx: Tx, token: string, purposes: string[], now: Date) {
  const link = await findPasswordLinkByTokenHash(tx, sha256Hex(token));
  if (!link || !purposes.includes(link.purpose) || link.usedAt || link.expiresAt <= now) {
    throw new UnprocessableError('This link is not valid: it was used already, has expired or was replaced by a newer one. Ask an admin for a new link.', {
      token: 'is not valid',
    });
  }
  // Marked used only if nobody else used it meanwhile: two tabs submitting the same link, one wins.
  if (!(await markPasswordLinkUsed(tx, link.id, now))) throw new UnprocessableError('This link was used already.', { token: 'is not valid' });
  return link;
}

/** The first admin, from the one-time link Umpire printed at its first start; signs them in. */
export async function setupFirstAdmin({
  input,
  context,
  now = new Date(),
}: {
  input: SetupInput;
  context: RequestContext & { userAgent?: string };
  now?: Date;
}): Promise<SessionGrant> {
  assertPassword(input.password, input.username);
  const grant = await transaction(async (tx) => {
    await takeLink(tx, input.token, ['setup'], now);
    if ((await countUsers(tx)) > 0)
      throw new UnprocessableError('Umpire has users already: sign in, or ask an admin for an account.', { token: 'is not valid' });
    // Hashed only for a valid link: anyone may post here, and each hash holds 128 MiB for a few hundred ms.
    const passwordHash = await hashPassword(input.password);
    const user = await insertUser(tx, { username: input.username, displayName: input.displayName, role: 'admin', teams: [], passwordHash });
    await recordAudit(
      tx,
      systemActor('setup link'),
      { action: 'user.create', target: userTarget(user), before: null, after: toUser(user), details: { via: 'setup link' } },
      now,
    );
    return startSession(tx, { user, method: 'password', context, now });
  });
  log.info('auth.first_admin_created', { user: grant.user.username, ip: context.ip, requestId: context.requestId });
  return grant;
}

/** Sets a password with an invitation or reset link and signs in; a reset ends the user's other sessions. */
export async function setPasswordWithLink({
  input,
  context,
  now = new Date(),
}: {
  input: PasswordLinkInput;
  context: RequestContext & { userAgent?: string };
  now?: Date;
}): Promise<SessionGrant> {
  const grant = await transaction(async (tx) => {
    const link = await takeLink(tx, input.token, ['invite', 'reset'], now);
    const user = link.user;
    if (!user || user.disabledAt) throw new UnprocessableError('This account is disabled; ask an admin.', { token: 'is not valid' });
    assertPassword(input.password, user.username);
    const updated = await updateUserRow(tx, user.id, { passwordHash: await hashPassword(input.password) });
    await deleteSessionsOfUser(tx, user.id);
    await recordAudit(
      tx,
      userActorOf(updated, 'new', context),
      { action: 'user.password_set', target: userTarget(updated), details: { via: `${link.purpose} link` } },
      now,
    );
    return startSession(tx, { user: updated, method: 'password', context, now });
  });
  log.info('auth.password_set', { user: grant.user.username, ip: context.ip, requestId: context.requestId });
  return grant;
}

/** A signed-in user changes their own password; their other sessions end. */
export async function changePassword({ actor, input, now = new Date() }: { actor: Actor; input: PasswordChange; now?: Date }): Promise<void> {
  if (actor.kind !== 'user')
    throw actor.kind === 'anonymous'
      ? new UnauthenticatedError('Sign in to change your password')
      : new ForbiddenError('Only a signed-in person can change their password, not a token');
  const row = await getUserById(actor.id);
  const finish = await admit(row.username, actor.context?.ip ?? 'unknown', now);
  const check = await verifyPassword(input.currentPassword, row.passwordHash);
  finish(check.ok);
  if (!check.ok) {
    throw new UnprocessableError(
      row.passwordHash ? 'The current password is wrong' : 'This account signs in through the identity provider and has no password',
      { currentPassword: 'is wrong' },
    );
  }
  assertPassword(input.newPassword, row.username, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await transaction(async (tx) => {
    await updateUserRow(tx, row.id, { passwordHash });
    await deleteSessionsOfUser(tx, row.id, actor.sessionId);
    await recordAudit(tx, actor, { action: 'user.password_change', target: userTarget(row) }, now);
  });
  log.info('auth.password_changed', { user: row.username, requestId: actor.context?.requestId });
}

/**
 * While nobody can sign in yet, a one-time link to create the first admin (printed by `npm start`); null once
 * a user exists. Each call replaces the previous link.
 */
export async function ensureSetupLink(origin: string): Promise<{ url: string; expiresAt: string } | null> {
  return transaction(async (tx) => {
    if ((await countUsers(tx)) > 0) return null;
    return createPasswordLink(tx, { purpose: 'setup', userId: null, createdBy: 'umpire', origin });
  });
}

export async function authConfig(): Promise<AuthConfig> {
  const e = env();
  return {
    passwordLogin: e.UMPIRE_PASSWORD_LOGIN === 'on',
    oidc: e.UMPIRE_OIDC_ISSUER ? { name: e.UMPIRE_OIDC_NAME } : null,
    anonymousRead: e.UMPIRE_ANONYMOUS_READ === 'on',
    setupRequired: (await countUsers()) === 0,
  };
}

/** Who a request acts as, for GET /api/v1/me and the page header. */
export async function describeActor(actor: Actor): Promise<Me> {
  const principal = principalOf(actor);
  const scopes = [...principal.scopes];
  const teams = principal.teams === 'all' ? ('all' as const) : [...principal.teams].sort();
  switch (actor.kind) {
    case 'user': {
      const method = await findSessionMethod(actor.sessionId);
      return {
        kind: 'user',
        username: actor.username,
        displayName: actor.displayName,
        role: actor.role,
        teams,
        scopes,
        signedInWith: method === 'oidc' ? 'oidc' : 'password',
      };
    }
    case 'token':
      return {
        kind: 'token',
        username: actor.owner?.username ?? null,
        displayName: actorName(actor),
        role: actor.owner?.role ?? null,
        teams,
        scopes,
        signedInWith: null,
      };
    default:
      return { kind: 'anonymous', username: null, displayName: null, role: null, teams, scopes, signedInWith: null };
  }
}
