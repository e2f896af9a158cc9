import { route } from '@/lib/http/route';
import { PolicyInput } from '@/lib/schemas';
import { deleteServicePolicy, getServicePolicy, putServicePolicy } from '@/lib/use-cases/gates/gate-policy';

export const dynamic = 'force-dynamic';

/** The policy that gates the service: its own, the organisation default, or the built-in one (see `source`). */
export const GET = route({}, async ({ params }) => Response.json(await getServicePolicy({ service: params.service! })));

export const PUT = route({ body: PolicyInput }, async ({ body, params, actor }) =>
  Response.json(await putServicePolicy({ actor, service: params.service!, input: body })),
);

/** The service goes back to the organisation default. */
export const DELETE = route({}, async ({ params, actor }) => {
  await deleteServicePolicy({ actor, service: params.service! });
  return new Response(null, { status: 204 });
});
