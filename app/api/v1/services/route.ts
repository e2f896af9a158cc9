import { sharedJsonResponse } from '@/lib/http/shared-json';
import { route } from '@/lib/http/route';
import { ServiceFilter, ServiceInput } from '@/lib/schemas';
import { createService } from '@/lib/use-cases/services/create-service';
import { listServices } from '@/lib/use-cases/services/list-services';

export const dynamic = 'force-dynamic';

export const GET = route({ query: ServiceFilter }, async ({ query, request }) => {
  // The list is shared for a few seconds by everyone asking the same; so is its JSON.
  return sharedJsonResponse(request, await listServices({ filter: query }), (services) => ({ services }));
});

export const POST = route({ body: ServiceInput }, async ({ body, actor }) => {
  const service = await createService({ actor, input: body });
  return Response.json(service, { status: 201, headers: { location: `/api/v1/services/${service.slug}` } });
});
