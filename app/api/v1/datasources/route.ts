import { route } from '@/lib/http/route';
import { DataSourceInput } from '@/lib/schemas';
import { createDataSource } from '@/lib/use-cases/datasources/create-data-source';
import { listDataSources } from '@/lib/use-cases/datasources/list-data-sources';

export const dynamic = 'force-dynamic';

export const GET = route({}, async () => Response.json({ datasources: await listDataSources() }));

export const POST = route({ body: DataSourceInput }, async ({ body, actor }) => {
  const datasource = await createDataSource({ actor, input: body });
  return Response.json(datasource, { status: 201, headers: { location: `/api/v1/datasources/${datasource.slug}` } });
});
