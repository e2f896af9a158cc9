import { route } from '@/lib/http/route';
import { RouteInput, RouteQuery } from '@/lib/schemas';
import { createRoute, listRoutes } from '@/lib/use-cases/notifications/routes';

export const dynamic = 'force-dynamic';

export const GET = route({ query: RouteQuery }, async ({ query }) => Response.json({ routes: await listRoutes({ team: query.team }) }));

export const POST = route({ body: RouteInput }, async ({ body, actor }) => Response.json(await createRoute({ actor, input: body }), { status: 201 }));
