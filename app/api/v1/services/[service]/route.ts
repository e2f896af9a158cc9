import { route } from '@/lib/http/route';
import { ServicePatch } from '@/lib/schemas';
import { deleteService } from '@/lib/use-cases/services/delete-service';
import { getService } from '@/lib/use-cases/services/get-service';
import { updateService } from '@/lib/use-cases/services/update-service';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params }) => Response.json(await getService({ service: params.service! })));

export const PATCH = route({ body: ServicePatch }, async ({ body, params, actor }) => {
  return Response.json(await updateService({ actor, service: params.service!, patch: body }));
});

export const DELETE = route({}, async ({ params, actor }) => {
  await deleteService({ actor, service: params.service! });
  return new Response(null, { status: 204 });
});
