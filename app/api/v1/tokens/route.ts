import { route } from '@/lib/http/route';
import { TokenInput, TokenListQuery } from '@/lib/schemas';
import { createApiToken, listApiTokens } from '@/lib/use-cases/access/api-tokens';

export const dynamic = 'force-dynamic';

/** Admins see every token; everyone else their own personal tokens. Never the tokens themselves. */
export const GET = route({ query: TokenListQuery }, async ({ actor, query }) => Response.json({ tokens: await listApiTokens({ actor, query }) }));

/** The token is in this response only; afterwards only its prefix is shown. */
export const POST = route({ body: TokenInput }, async ({ body, actor }) => {
  const token = await createApiToken({ actor, input: body });
  return Response.json(token, { status: 201, headers: { 'cache-control': 'no-store' } });
});
