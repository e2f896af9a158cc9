import { route } from '@/lib/http/route';
import { listOtelMetrics } from '@/lib/use-cases/list-otel-metrics';

export const dynamic = 'force-dynamic';

export const GET = route({}, async () => Response.json({ metrics: await listOtelMetrics() }));
