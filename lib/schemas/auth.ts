import { z } from 'zod';
import { ROLES, SCOPES } from '../auth/permissions';

export const Role = z.enum(ROLES, { error: 'must be viewer, editor or admin' });
export type Role = z.infer<typeof Role>;

/** Lowercase letters, digits, dots, hyphens and underscores: what people sign in with and the trail names them by. */
export const Username = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .min(2, 'must be at least 2 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, dots, hyphens or underscores, starting with a letter or digit');

/** A team as services name it in ownerTeam. */
export const TeamName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

/** A list of teams: each once, sorted. */
export const Teams = z
  .array(TeamName, { error: 'must be a list of team names' })
  .max(50, 'at most 50 teams')
  .transform((teams) => [...new Set(teams)].sort());

/** Checked for strength by the use-case (lib/auth/password.ts), which knows the username. */
const NewPassword = z.string({ error: 'is required' }).min(1, 'is required').max(256, 'must be at most 256 characters');

/** Body of POST /api/v1/auth/login. */
export const LoginInput = z.strictObject({
  username: z.string({ error: 'is required' }).trim().toLowerCase().min(1, 'is required').max(64, 'must be at most 64 characters'),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(256, 'must be at most 256 characters'),
});
export type LoginInput = z.infer<typeof LoginInput>;

/** Body of POST /api/v1/auth/setup: the first admin, with the one-time link's token. */
export const SetupInput = z.strictObject({
  token: z.string({ error: 'is required' }).min(1, 'is required').max(200),
  username: Username,
  displayName: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  password: NewPassword,
});
export type SetupInput = z.infer<typeof SetupInput>;

/** Body of POST /api/v1/auth/password: set a password with an invitation or reset link's token. */
export const PasswordLinkInput = z.strictObject({
  token: z.string({ error: 'is required' }).min(1, 'is required').max(200),
  password: NewPassword,
});
export type PasswordLinkInput = z.infer<typeof PasswordLinkInput>;

/** Body of POST /api/v1/me/password. */
export const PasswordChange = z.strictObject({
  currentPassword: z.string({ error: 'is required' }).min(1, 'is required').max(256),
  newPassword: NewPassword,
});
export type PasswordChange = z.infer<typeof PasswordChange>;

/** Body of POST /api/v1/users. Without a password, the answer carries a one-time link to set one. */
export const UserInput = z
  .strictObject({
    username: Username,
    displayName: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    email: z.email({ error: 'must be an email address' }).max(200).optional(),
    role: Role,
    teams: Teams.default([]),
    password: NewPassword.optional(),
    /**
     * How they will sign in: a password (set now, or through the one-time link in the answer), or single sign-on
     * (their first sign-in through the identity provider with this verified email becomes this account).
     */
    signIn: z.enum(['password', 'sso'], { error: 'must be password or sso' }).default('password'),
  })
  .superRefine((input, ctx) => {
    if (input.signIn !== 'sso') return;
    if (input.email === undefined)
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required for single sign-on: it is how their first sign-in is recognised' });
    if (input.password !== undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: 'is not used with single sign-on' });
  });
export type UserInput = z.infer<typeof UserInput>;
export type UserInputDraft = z.input<typeof UserInput>;

/** Body of PATCH /api/v1/users/{username}. */
export const UserPatch = z
  .strictObject({
    displayName: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    email: z.email({ error: 'must be an email address' }).max(200).nullable(),
    role: Role,
    teams: Teams,
    disabled: z.boolean({ error: 'must be true or false' }),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' });
export type UserPatch = z.infer<typeof UserPatch>;

export const User = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: Role,
  teams: z.array(z.string()),
  /** How they sign in: a password, the identity provider, or both; ssoInvited: added for single sign-on, not signed in yet. */
  signIn: z.object({ password: z.boolean(), oidc: z.boolean(), ssoInvited: z.boolean() }),
  disabled: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type User = z.infer<typeof User>;

/** A one-time link to set a password, shown once. */
export const PasswordLinkView = z.object({ url: z.string(), expiresAt: z.iso.datetime() });
export type PasswordLinkView = z.infer<typeof PasswordLinkView>;

/** The answer to POST /api/v1/users. */
export const CreatedUser = User.extend({ passwordLink: PasswordLinkView.nullable() });
export type CreatedUser = z.infer<typeof CreatedUser>;

export const Scope = z.enum(SCOPES, { error: 'must be read, write, gate, ingest or admin' });
export type Scope = z.infer<typeof Scope>;

/** GET /api/v1/me: who the request acts as, and what it may do. */
export const Me = z.object({
  kind: z.enum(['user', 'token', 'anonymous']),
  username: z.string().nullable(),
  displayName: z.string().nullable(),
  role: Role.nullable(),
  teams: z.union([z.literal('all'), z.array(z.string())]),
  scopes: z.array(Scope),
  /** password or oidc for a session; null otherwise. */
  signedInWith: z.enum(['password', 'oidc']).nullable(),
});
export type Me = z.infer<typeof Me>;

/** GET /api/v1/auth/config: what the sign-in page offers. */
export const AuthConfig = z.object({
  passwordLogin: z.boolean(),
  oidc: z.object({ name: z.string() }).nullable(),
  anonymousRead: z.boolean(),
  /** No user exists yet: the first admin is created with the setup link Umpire printed. */
  setupRequired: z.boolean(),
});
export type AuthConfig = z.infer<typeof AuthConfig>;

export const AuditTargetType = z.enum(
  ['service', 'slo', 'policy', 'datasource', 'token', 'override', 'embed', 'deployment', 'user', 'channel', 'route', 'silence'],
  {
    error: 'must be service, slo, policy, datasource, token, override, embed, deployment, user, channel, route or silence',
  },
);
export type AuditTargetType = z.infer<typeof AuditTargetType>;

export const AuditEvent = z.object({
  id: z.uuid(),
  at: z.iso.datetime(),
  actor: z.object({ kind: z.enum(['user', 'token', 'system', 'anonymous']), id: z.string().nullable(), name: z.string() }),
  action: z.string(),
  target: z.object({ type: AuditTargetType, id: z.string(), name: z.string() }),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
  /** The address the change came from (see UMPIRE_TRUSTED_PROXIES); shown to admins only. */
  ip: z.string().nullable().optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

const Cursor = z.string().regex(/^[0-9]{13}_[0-9]{1,18}$/, 'must be a cursor from a previous answer');

/**
 * Query of GET /api/v1/audit. One object at most: a service (with all it holds, or one SLO), a data source, a user,
 * a token, or the default policy; objects that no longer exist are found by the name they had.
 */
export const AuditQuery = z
  .strictObject({
    service: z.string().min(1).max(63).optional(),
    slo: z.string().min(1).max(63).optional(),
    datasource: z.string().min(1).max(63).optional(),
    user: z.string().min(1).max(64).optional(),
    token: z.uuid({ error: 'must be a token id' }).optional(),
    policy: z.literal('default', { error: 'must be default' }).optional(),
    type: AuditTargetType.optional(),
    /** Events by this actor (username or token name, as recorded). */
    actor: z.string().min(1).max(200).optional(),
    action: z
      .string()
      .regex(/^[a-z_]+\.[a-z_]+$/, 'must be an action such as service.update')
      .optional(),
    from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
    to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
    cursor: Cursor.optional(),
    limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 to 200').max(200, 'must be 1 to 200').default(50),
  })
  .refine((q) => q.slo === undefined || q.service !== undefined, { message: 'needs service too', path: ['slo'] })
  .refine((q) => [q.service, q.datasource, q.user, q.token, q.policy].filter((v) => v !== undefined).length <= 1, {
    message: 'give at most one of service, datasource, user, token and policy',
  });
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z.object({ events: z.array(AuditEvent), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;
