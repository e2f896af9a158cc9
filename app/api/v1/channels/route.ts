import { route } from '@/lib/http/route';
import { ChannelInput } from '@/lib/schemas';
import { createChannel } from '@/lib/use-cases/notifications/create-channel';
import { listChannels } from '@/lib/use-cases/notifications/list-channels';

export const dynamic = 'force-dynamic';

/** Every channel, without secrets: anyone signed in sees where alerts can go. */
export const GET = route({}, async () => Response.json({ channels: await listChannels() }));

export const POST = route({ body: ChannelInput }, async ({ body, actor }) => {
  const channel = await createChannel({ actor, input: body });
  return Response.json(channel, { status: 201, headers: { location: `/api/v1/channels/${channel.slug}` } });
});
