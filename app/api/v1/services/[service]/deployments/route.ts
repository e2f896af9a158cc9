import { route } from '@/lib/http/route';
import { DeploymentsQuery } from '@/lib/schemas';
import { listDeployments } from '@/lib/use-cases/gates/deployments';

export const dynamic = 'force-dynamic';

export const GET = route({ query: DeploymentsQuery }, async ({ params, query }) =>
  Response.json({
    deployments: await listDeployments({
      service: params.service!,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    }),
  }),
);
