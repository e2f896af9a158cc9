import { z } from 'zod';
import { Scope, Teams } from './auth';

/** What a token may do: read (the API's GETs), write (editors' changes), gate (ask the release gate, record deploys), ingest (OTLP), admin. */
export const TokenScope = Scope;
export type TokenScope = Scope;

export const TokenKind = z.enum(['service', 'personal'], { error: 'must be service or personal' });
export type TokenKind = z.infer<typeof TokenKind>;

/** A resource service.name an ingest token is pinned to, as an OpenTelemetry SDK sends it (OTEL_SERVICE_NAME). */
export const ServiceNamePin = z.string({ error: 'must be a service.name value' }).trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters');

/** The service.name values an ingest token's points may carry: each once, sorted; empty: any. */
export const ServiceNamePins = z
  .array(ServiceNamePin, { error: 'must be a list of service.name values' })
  .max(500, 'at most 500 service names')
  .transform((names) => [...new Set(names)].sort());

const TokenName = z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters');
const PINS_NEED_INGEST = 'apply to tokens with the ingest scope only (they pin the service.name its points may carry)';
const TEAMS_OF_SERVICE_TOKENS = 'apply to service tokens only (a personal token acts for its owner’s teams)';

/**
 * Body of POST /api/v1/tokens. A service token (an admin's to create) acts as itself with its scopes, on its
 * teams' services (none: all); a personal token acts as the signed-in person who creates it, never beyond their role.
 * An ingest token's points count only toward SLOs of its teams' services, and, with serviceNames, only from
 * resources carrying one of those service.name values (lib/auth/ingest-binding.ts).
 */
export const TokenInput = z
  .strictObject({
    name: TokenName,
    kind: TokenKind.default('service'),
    scopes: z
      .array(TokenScope, { error: 'must be a list of scopes' })
      .min(1, 'needs at least one scope')
      .max(5)
      .transform((scopes) => [...new Set(scopes)])
      .default(['ingest']),
    teams: Teams.default([]),
    serviceNames: ServiceNamePins.default([]),
    /** null or absent: never expires. */
    expiresInDays: z
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be 1 to 3650 days')
      .max(3650, 'must be 1 to 3650 days')
      .nullable()
      .default(null),
  })
  .refine((input) => input.kind === 'service' || input.teams.length === 0, { message: TEAMS_OF_SERVICE_TOKENS, path: ['teams'] })
  .refine((input) => input.serviceNames.length === 0 || input.scopes.includes('ingest'), { message: PINS_NEED_INGEST, path: ['serviceNames'] });
export type TokenInput = z.infer<typeof TokenInput>;
export type TokenInputDraft = z.input<typeof TokenInput>;

/**
 * Body of PATCH /api/v1/tokens/{token}: rename it, or change what it may act on (teams: service tokens;
 * serviceNames: tokens with the ingest scope), without handing every exporter a new token. Scopes and expiry stay.
 */
export const TokenPatch = z
  .strictObject({ name: TokenName, teams: Teams, serviceNames: ServiceNamePins })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' });
export type TokenPatch = z.infer<typeof TokenPatch>;
export type TokenPatchDraft = z.input<typeof TokenPatch>;

/** Why a token's kind and scopes do not take these bindings, by field (the use-case checks a patch against the stored token). */
export function tokenBindingProblems(token: {
  kind: TokenKind;
  scopes: readonly string[];
  teams: readonly string[];
  serviceNames: readonly string[];
}): Record<string, string> {
  const problems: Record<string, string> = {};
  if (token.kind !== 'service' && token.teams.length > 0) problems.teams = TEAMS_OF_SERVICE_TOKENS;
  if (!token.scopes.includes('ingest') && token.serviceNames.length > 0) problems.serviceNames = PINS_NEED_INGEST;
  return problems;
}

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
  /** Service tokens: the teams whose services it acts on, and (ingest) whose SLOs it may feed; empty: all. */
  teams: z.array(z.string()),
  /** Ingest: the resource service.name values its points may carry; empty: any. */
  serviceNames: z.array(z.string()),
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
