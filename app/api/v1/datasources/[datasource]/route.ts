import { route } from '@/lib/http/route';
import { DataSourcePatch } from '@/lib/schemas';
import { deleteDataSource } from '@/lib/use-cases/datasources/delete-data-source';
import { getDataSource } from '@/lib/use-cases/datasources/list-data-sources';
import { updateDataSource } from '@/lib/use-cases/datasources/update-data-source';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params }) => Response.json(await getDataSource({ datasource: params.datasource! })));

export const PATCH = route({ body: DataSourcePatch }, async ({ body, params, actor }) => {
  return Response.json(await updateDataSource({ actor, datasource: params.datasource!, patch: body }));
});

export const DELETE = route({}, async ({ params, actor }) => {
  await deleteDataSource({ actor, datasource: params.datasource! });
  return new Response(null, { status: 204 });
});
