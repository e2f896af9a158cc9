import { route } from '@/lib/http/route';
import { ChannelPatch } from '@/lib/schemas';
import { deleteChannel } from '@/lib/use-cases/notifications/delete-channel';
import { getChannel } from '@/lib/use-cases/notifications/list-channels';
import { updateChannel } from '@/lib/use-cases/notifications/update-channel';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params }) => Response.json(await getChannel({ channel: params.channel! })));

export const PATCH = route({ body: ChannelPatch }, async ({ body, params, actor }) => {
  return Response.json(await updateChannel({ actor, channel: params.channel!, patch: body }));
});

export const DELETE = route({}, async ({ params, actor }) => {
  await deleteChannel({ actor, channel: params.channel! });
  return new Response(null, { status: 204 });
});
