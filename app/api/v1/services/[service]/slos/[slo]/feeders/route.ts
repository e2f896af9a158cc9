import { route } from '@/lib/http/route';
import { listSloFeeders } from '@/lib/use-cases/slos/list-slo-feeders';

export const dynamic = 'force-dynamic';

/** The ingest tokens that fed this OpenTelemetry SLO in the last 7 days, and those refused for it. */
export const GET = route({}, async ({ params }) => Response.json(await listSloFeeders({ service: params.service!, slo: params.slo! })));
