import { z } from 'zod';
import { ApiToken, CreatedApiToken, type TokenInputDraft, type TokenPatchDraft } from '@/lib/schemas';
import { apiRequest } from './api';

const tokensPath = '/api/v1/tokens';

export const tokenKeys = {
  all: ['tokens'] as const,
  list: (listing: 'mine' | 'all' | 'ingest') => [...tokenKeys.all, listing] as const,
};

const TokenList = z.object({ tokens: z.array(ApiToken) });

/** mine: the caller's own personal tokens; all: every token the caller may see (admins: all); ingest: tokens that may push. */
export type TokenListing = 'mine' | 'all' | 'ingest';

const LISTING_QUERY: Record<TokenListing, string> = { mine: '?owner=me', all: '', ingest: '?scope=ingest' };

export const listTokens = (signal?: AbortSignal, listing: TokenListing = 'ingest') =>
  apiRequest(`${tokensPath}${LISTING_QUERY[listing]}`, TokenList, { signal }).then((body) => body.tokens);

/** The answer carries the token itself: the only time it is ever shown. */
export const createToken = (input: TokenInputDraft) => apiRequest(tokensPath, CreatedApiToken, { method: 'POST', body: input });

/** A new name, or new bindings (teams, service.name pins): the token itself stays the same. */
export const updateToken = (id: string, patch: TokenPatchDraft) =>
  apiRequest(`${tokensPath}/${encodeURIComponent(id)}`, ApiToken, { method: 'PATCH', body: patch });

/** Revoked, not deleted: the row stays listed as revoked. */
export const revokeToken = (id: string) => apiRequest(`${tokensPath}/${encodeURIComponent(id)}`, ApiToken, { method: 'DELETE' });
