import { z } from 'zod';
import { errorResponse, route } from '@/lib/http/route';
import { DeliveryQuery } from '@/lib/schemas';
import { listEventDeliveries } from '@/lib/use-cases/notifications/deliveries';

export const dynamic = 'force-dynamic';

/** What was sent about one alert event, to every channel, newest first. */
export const GET = route({ query: DeliveryQuery }, async ({ params, query }) => {
  if (!z.uuid().safeParse(params.id).success) return errorResponse(404, 'not_found', `Alert "${params.id}" does not exist`);
  return Response.json(await listEventDeliveries({ alertEventId: params.id!, query }));
});
