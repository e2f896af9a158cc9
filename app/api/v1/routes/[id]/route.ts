import { z } from 'zod';
import { errorResponse, route } from '@/lib/http/route';
import { deleteRoute } from '@/lib/use-cases/notifications/routes';

export const dynamic = 'force-dynamic';

export const DELETE = route({}, async ({ params, actor }) => {
  if (!z.uuid().safeParse(params.id).success) return errorResponse(404, 'not_found', `Route "${params.id}" does not exist`);
  await deleteRoute({ actor, id: params.id! });
  return new Response(null, { status: 204 });
});
