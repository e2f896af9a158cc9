import { route } from '@/lib/http/route';
import { SloPatch } from '@/lib/schemas';
import { deleteSlo } from '@/lib/use-cases/slos/delete-slo';
import { getSlo } from '@/lib/use-cases/slos/get-slo';
import { updateSlo } from '@/lib/use-cases/slos/update-slo';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params }) => Response.json(await getSlo({ service: params.service!, slo: params.slo! })));

export const PATCH = route({ body: SloPatch }, async ({ body, params, actor }) => {
  return Response.json(await updateSlo({ actor, service: params.service!, slo: params.slo!, patch: body }));
});

export const DELETE = route({}, async ({ params, actor }) => {
  await deleteSlo({ actor, service: params.service!, slo: params.slo! });
  return new Response(null, { status: 204 });
});
