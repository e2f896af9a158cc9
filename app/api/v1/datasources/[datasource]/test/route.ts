import { route } from '@/lib/http/route';
import { testDataSource } from '@/lib/use-cases/datasources/test-data-source';

export const dynamic = 'force-dynamic';

/** Reachability, version and, on failure, the backend's error verbatim; a failing backend is a 200 with ok: false. */
export const POST = route({}, async ({ params, actor }) => Response.json(await testDataSource({ actor, datasource: params.datasource! })));
