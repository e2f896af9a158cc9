import { route } from '@/lib/http/route';
import { TokenInput } from '@/lib/schemas';
import { createApiToken, listApiTokens } from '@/lib/use-cases/api-tokens';

export const dynamic = 'force-dynamic';

export const GET = route({}, async () => Response.json({ tokens: await listApiTokens() }));

/** The token is in this response only; afterwards only its prefix is shown. */
export const POST = route({ body: TokenInput }, async ({ body, actor }) => {
  const token = await createApiToken({ actor, input: body });
  return Response.json(token, { status: 201, headers: { 'cache-control': 'no-store' } });
});
