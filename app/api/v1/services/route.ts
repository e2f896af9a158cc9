import { route } from '@/lib/http/route';
import { ServiceFilter, ServiceInput } from '@/lib/schemas';
import { createService } from '@/lib/use-cases/services/create-service';
import { listServices } from '@/lib/use-cases/services/list-services';

export const dynamic = 'force-dynamic';

export const GET = route({ query: ServiceFilter }, async ({ query }) => {
  return Response.json({ services: await listServices({ filter: query }) });
});

export const POST = route({ body: ServiceInput }, async ({ body, actor }) => {
  const service = await createService({ actor, input: body });
  return Response.json(service, { status: 201, headers: { location: `/api/v1/services/${service.slug}` } });
});
