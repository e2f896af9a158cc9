import { route } from '@/lib/http/route';
import { rulesResponse } from '@/lib/http/yaml-response';
import { RulesQuery } from '@/lib/schemas';
import { allPrometheusRules } from '@/lib/use-cases/slos/prometheus-rules';

export const dynamic = 'force-dynamic';

/** Prometheus rules of every Prometheus-sourced SLO, one group each; `?format=prometheus|operator|tests`. */
export const GET = route({ query: RulesQuery }, async ({ query }) => rulesResponse(await allPrometheusRules({ format: query.format })));
