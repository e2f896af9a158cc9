import { route } from '@/lib/http/route';
import { rulesResponse } from '@/lib/http/yaml-response';
import { RulesQuery } from '@/lib/schemas';
import { sloPrometheusRules } from '@/lib/use-cases/slos/prometheus-rules';

export const dynamic = 'force-dynamic';

/** The SLO's Prometheus rules (`?format=prometheus`), as a PrometheusRule (`operator`) or their promtool tests (`tests`). */
export const GET = route({ query: RulesQuery }, async ({ params, query }) =>
  rulesResponse(await sloPrometheusRules({ service: params.service!, slo: params.slo!, format: query.format })),
);
