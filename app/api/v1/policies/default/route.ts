import { route } from '@/lib/http/route';
import { PolicyInput } from '@/lib/schemas';
import { deleteDefaultPolicy, getDefaultPolicy, putDefaultPolicy } from '@/lib/use-cases/gates/gate-policy';

export const dynamic = 'force-dynamic';

export const GET = route({}, async () => Response.json(await getDefaultPolicy()));

export const PUT = route({ body: PolicyInput }, async ({ body, actor }) => Response.json(await putDefaultPolicy({ actor, input: body })));

/** Back to Umpire's built-in policy. */
export const DELETE = route({}, async ({ actor }) => {
  await deleteDefaultPolicy({ actor });
  return new Response(null, { status: 204 });
});
