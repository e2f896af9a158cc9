import { z } from 'zod';
import { ApiToken, CreatedApiToken, type TokenInputDraft } from '@/lib/schemas';
import { apiRequest } from './api';

const tokensPath = '/api/v1/tokens';

export const tokenKeys = {
  all: ['tokens'] as const,
};

const TokenList = z.object({ tokens: z.array(ApiToken) });

export const listTokens = (signal?: AbortSignal) => apiRequest(tokensPath, TokenList, { signal }).then((body) => body.tokens);

/** The answer carries the token itself: the only time it is ever shown. */
export const createToken = (input: TokenInputDraft) => apiRequest(tokensPath, CreatedApiToken, { method: 'POST', body: input });

/** Revoked, not deleted: the row stays listed as revoked. */
export const revokeToken = (id: string) => apiRequest(`${tokensPath}/${encodeURIComponent(id)}`, ApiToken, { method: 'DELETE' });
