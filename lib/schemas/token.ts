import { z } from 'zod';

/** What a token may do. Only OTLP ingest exists so far; sign-in and roles (a later issue) add the rest. */
export const TokenScope = z.enum(['ingest'], { error: 'must be ingest' });
export type TokenScope = z.infer<typeof TokenScope>;

/** Body of POST /api/v1/tokens. */
export const TokenInput = z.strictObject({
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  scopes: z.array(TokenScope, { error: 'must be a list of scopes' }).min(1, 'needs at least one scope').max(5).default(['ingest']),
  /** null or absent: never expires. */
  expiresInDays: z
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be 1 to 3650 days')
    .max(3650, 'must be 1 to 3650 days')
    .nullable()
    .default(null),
});
export type TokenInput = z.infer<typeof TokenInput>;
export type TokenInputDraft = z.input<typeof TokenInput>;

/** A token as listed: never the token itself. */
export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The token's first characters, to recognise it. */
  prefix: z.string(),
  scopes: z.array(TokenScope),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** The answer to POST /api/v1/tokens: the only time the token is shown. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
