import { z } from 'zod';
import { Scope, TeamName } from './auth';

/** What a token may do: read (the API's GETs), write (editors' changes), gate (ask the release gate, record deploys), ingest (OTLP), admin. */
export const TokenScope = Scope;
export type TokenScope = Scope;

export const TokenKind = z.enum(['service', 'personal'], { error: 'must be service or personal' });
export type TokenKind = z.infer<typeof TokenKind>;

/**
 * Body of POST /api/v1/tokens. A service token (an admin's to create) acts as itself with its scopes, on its
 * teams' services (none: all); a personal token acts as the signed-in person who creates it, never beyond their role.
 */
export const TokenInput = z
  .strictObject({
    name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    kind: TokenKind.default('service'),
    scopes: z
      .array(TokenScope, { error: 'must be a list of scopes' })
      .min(1, 'needs at least one scope')
      .max(5)
      .transform((scopes) => [...new Set(scopes)])
      .default(['ingest']),
    teams: z.array(TeamName, { error: 'must be a list of team names' }).max(50).default([]),
    /** null or absent: never expires. */
    expiresInDays: z
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be 1 to 3650 days')
      .max(3650, 'must be 1 to 3650 days')
      .nullable()
      .default(null),
  })
  .refine((input) => input.kind === 'service' || input.teams.length === 0, {
    message: 'apply to service tokens only (a personal token acts for its owner’s teams)',
    path: ['teams'],
  });
export type TokenInput = z.infer<typeof TokenInput>;
export type TokenInputDraft = z.input<typeof TokenInput>;

/** A token as listed: never the token itself. */
export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: TokenKind,
  /** The owner of a personal token. */
  owner: z.string().nullable(),
  /** The token's first characters, to recognise it. */
  prefix: z.string(),
  scopes: z.array(TokenScope),
  teams: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** The answer to POST /api/v1/tokens: the only time the token is shown. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

/** Query of GET /api/v1/tokens. */
export const TokenListQuery = z.strictObject({
  kind: TokenKind.optional(),
  scope: TokenScope.optional(),
  /** me: only the caller's own personal tokens (admins otherwise see everyone's). */
  owner: z.literal('me', { error: 'must be me' }).optional(),
});
export type TokenListQuery = z.infer<typeof TokenListQuery>;
