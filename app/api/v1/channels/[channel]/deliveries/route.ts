import { route } from '@/lib/http/route';
import { DeliveryQuery } from '@/lib/schemas';
import { listChannelDeliveries } from '@/lib/use-cases/notifications/deliveries';

export const dynamic = 'force-dynamic';

export const GET = route({ query: DeliveryQuery }, async ({ params, query }) =>
  Response.json(await listChannelDeliveries({ channel: params.channel!, query })),
);
