import { route } from '@/lib/http/route';
import { backfillSlo } from '@/lib/use-cases/slos/backfill-slo';

export const dynamic = 'force-dynamic';

/** 202: the evaluator refills the history in the background; the status shows its progress. */
export const POST = route({}, async ({ params, actor }) => {
  await backfillSlo({ actor, service: params.service!, slo: params.slo! });
  return Response.json({ accepted: true }, { status: 202 });
});
