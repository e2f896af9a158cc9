// Identities for tests: users with a role and teams, their sessions (cookie and CSRF header, as a browser sends
// them) and tokens. Everything goes through the same code the app uses; only password hashing is cheaper.
import { randomBytes } from 'node:crypto';
import { CSRF_HEADER, SESSION_COOKIE } from '../lib/auth/credentials';
import { hashPassword } from '../lib/auth/password';
import type { Role, Scope, UserActor } from '../lib/auth/permissions';
import { db } from '../lib/db/client';
import type { User as UserRow } from '../lib/db/generated/client';
import { TokenInput } from '../lib/schemas';
import type { IngestBinding } from '../lib/auth/ingest-binding';
import { createApiToken, verifyApiToken } from '../lib/use-cases/access/api-tokens';
import { startSession } from '../lib/use-cases/access/sessions';
import { SYSTEM } from './factories';

/** scrypt with N = 2^10: the same code path in a fraction of the time (sign-in re-hashes it to today's cost). */
const CHEAP = { ln: 10, r: 8, p: 1 };

export interface TestUser {
  row: UserRow;
  username: string;
  password: string;
  actor: UserActor;
}

export async function makeUser(
  options: { role: Role; teams?: string[]; username?: string; password?: string | null; disabled?: boolean } = { role: 'viewer' },
): Promise<TestUser> {
  const username = options.username ?? `u-${randomBytes(5).toString('hex')}`;
  const password = options.password === undefined ? `pw-${randomBytes(9).toString('base64url')}` : (options.password ?? '');
  const row = await db().user.create({
    data: {
      username,
      displayName: `Test ${options.role} ${username}`,
      role: options.role,
      teams: options.teams ?? [],
      passwordHash: options.password === null ? null : await hashPassword(password, CHEAP),
      disabledAt: options.disabled ? new Date() : null,
    },
  });
  return {
    row,
    username,
    password,
    actor: { kind: 'user', id: row.id, username, displayName: row.displayName, role: options.role, teams: row.teams, sessionId: 'test' },
  };
}

export interface TestSession {
  token: string;
  csrf: string;
  /** Cookie and CSRF header, as Umpire's own pages send them with a change. */
  headers: Record<string, string>;
  /** The cookie alone, as a request from another site would carry it. */
  cookieOnly: Record<string, string>;
}

export async function sessionFor(user: TestUser): Promise<TestSession> {
  const grant = await db().$transaction((tx) => startSession(tx, { user: user.row, method: 'password', context: { ip: '127.0.0.1' } }));
  const cookie = `${SESSION_COOKIE}=${grant.token}`;
  return { token: grant.token, csrf: grant.csrf, headers: { cookie, [CSRF_HEADER]: grant.csrf }, cookieOnly: { cookie } };
}

/** A service token (made by Umpire itself), or a personal token of `owner`. */
export async function makeToken(options: {
  scopes: Scope[];
  teams?: string[];
  serviceNames?: string[];
  owner?: TestUser;
  expiresInDays?: number | null;
  name?: string;
}): Promise<{ id: string; token: string; headers: Record<string, string> }> {
  const input = TokenInput.parse({
    name: options.name ?? `test ${options.scopes.join('+')} ${randomBytes(3).toString('hex')}`,
    kind: options.owner ? 'personal' : 'service',
    scopes: options.scopes,
    teams: options.owner ? [] : (options.teams ?? []),
    serviceNames: options.serviceNames ?? [],
    expiresInDays: options.expiresInDays ?? null,
  });
  const created = await createApiToken({ actor: options.owner ? options.owner.actor : SYSTEM, input });
  return { id: created.id, token: created.token, headers: { authorization: `Bearer ${created.token}` } };
}

/** An ingest token and the binding the OTLP receiver works out for it, for calling ingestOtlp as the route does. */
export async function makeIngestToken(
  options: { teams?: string[]; serviceNames?: string[]; owner?: TestUser; name?: string } = {},
): Promise<{ id: string; token: string; name: string; headers: Record<string, string>; binding: IngestBinding }> {
  const name = options.name ?? `ingest ${randomBytes(3).toString('hex')}`;
  const made = await makeToken({ scopes: ['ingest'], ...options, name });
  const check = await verifyApiToken(made.token, 'ingest');
  if (!check.ok) throw new Error(`the new ingest token was refused: ${check.reason}`);
  return { ...made, name, binding: check.binding };
}
