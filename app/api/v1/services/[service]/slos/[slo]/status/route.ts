import { route } from '@/lib/http/route';
import { getSloStatus } from '@/lib/use-cases/get-slo-status';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params }) => Response.json(await getSloStatus({ service: params.service!, slo: params.slo! })));
