import { route } from '@/lib/http/route';
import { AtQuery } from '@/lib/schemas';
import { getSloStatus } from '@/lib/use-cases/slos/get-slo-status';

export const dynamic = 'force-dynamic';

/** The SLO's status now, or `?at=<RFC 3339>`: as of that minute, from stored buckets (what a gate saw then). */
export const GET = route({ query: AtQuery }, async ({ params, query }) =>
  Response.json(await getSloStatus({ service: params.service!, slo: params.slo!, at: query.at })),
);
