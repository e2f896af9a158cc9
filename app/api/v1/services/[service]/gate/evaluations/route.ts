import { route } from '@/lib/http/route';
import { GateEvaluationsQuery } from '@/lib/schemas';
import { listGateEvaluations } from '@/lib/use-cases/gates/gate-history';

export const dynamic = 'force-dynamic';

export const GET = route({ query: GateEvaluationsQuery }, async ({ params, query }) =>
  Response.json({ evaluations: await listGateEvaluations({ service: params.service!, limit: query.limit }) }),
);
