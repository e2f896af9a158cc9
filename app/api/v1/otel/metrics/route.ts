import { route } from '@/lib/http/route';
import { OtelMetricQuery } from '@/lib/schemas';
import { listOtelMetrics } from '@/lib/use-cases/ingest/list-otel-metrics';

export const dynamic = 'force-dynamic';

/** Metrics SLOs read first, then each ingest token's in turn; `truncated` when more match than `limit`. */
export const GET = route({ query: OtelMetricQuery }, async ({ query }) => Response.json(await listOtelMetrics(query)));
