import { route } from '@/lib/http/route';
import { SeriesQuery } from '@/lib/schemas';
import { getSloSeries } from '@/lib/use-cases/slos/get-slo-series';

export const dynamic = 'force-dynamic';

export const GET = route({ query: SeriesQuery }, async ({ params, query }) => {
  return Response.json(await getSloSeries({ service: params.service!, slo: params.slo!, query }));
});
