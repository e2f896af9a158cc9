import { route } from '@/lib/http/route';
import { listSloAlerts } from '@/lib/use-cases/alerts/list-alerts';

export const dynamic = 'force-dynamic';

/** The SLO's alert events, newest first: its alert timeline. */
export const GET = route({}, async ({ params }) => Response.json({ alerts: await listSloAlerts({ service: params.service!, slo: params.slo! }) }));
