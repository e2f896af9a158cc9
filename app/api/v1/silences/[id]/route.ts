import { z } from 'zod';
import { errorResponse, route } from '@/lib/http/route';
import { endSilence } from '@/lib/use-cases/notifications/silences';

export const dynamic = 'force-dynamic';

/** Ends the silence now; it stays in the list of past silences. */
export const DELETE = route({}, async ({ params, actor }) => {
  if (!z.uuid().safeParse(params.id).success) return errorResponse(404, 'not_found', `Silence "${params.id}" does not exist`);
  return Response.json(await endSilence({ actor, id: params.id! }));
});
