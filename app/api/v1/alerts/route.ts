import { route } from '@/lib/http/route';
import { AlertQuery } from '@/lib/schemas';
import { listAlerts } from '@/lib/use-cases/alerts/list-alerts';

export const dynamic = 'force-dynamic';

/** Alert events across every service: `?state=firing` is what pages now. */
export const GET = route({ query: AlertQuery }, async ({ query }) => Response.json({ alerts: await listAlerts(query) }));
