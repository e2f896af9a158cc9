import { route } from '@/lib/http/route';
import { SloInput } from '@/lib/schemas';
import { createSlo } from '@/lib/use-cases/slos/create-slo';
import { listSlos } from '@/lib/use-cases/slos/list-slos';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params }) => Response.json({ slos: await listSlos({ service: params.service! }) }));

export const POST = route({ body: SloInput }, async ({ body, params, actor }) => {
  const slo = await createSlo({ actor, service: params.service!, input: body });
  return Response.json(slo, { status: 201, headers: { location: `/api/v1/services/${slo.service}/slos/${slo.slug}` } });
});
