import { route } from '@/lib/http/route';
import { rulesResponse } from '@/lib/http/yaml-response';
import { RulesQuery } from '@/lib/schemas';
import { servicePrometheusRules } from '@/lib/use-cases/slos/prometheus-rules';

export const dynamic = 'force-dynamic';

/** Prometheus rules of the service's Prometheus-sourced SLOs, one group each; `?format=prometheus|operator|tests`. */
export const GET = route({ query: RulesQuery }, async ({ params, query }) =>
  rulesResponse(await servicePrometheusRules({ service: params.service!, format: query.format })),
);
