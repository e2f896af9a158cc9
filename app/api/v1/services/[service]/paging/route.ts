import { route } from '@/lib/http/route';
import { servicePaging } from '@/lib/use-cases/notifications/service-paging';

export const dynamic = 'force-dynamic';

/** Who is told when this service's SLOs alert: matching routes and channels per severity and kind, and active silences. */
export const GET = route({}, async ({ params }) => Response.json(await servicePaging({ service: params.service! })));
