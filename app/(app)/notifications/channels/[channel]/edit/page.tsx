import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Forbidden } from '@/components/auth/forbidden';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { DeleteButton } from '@/components/delete-dialog';
import { ChannelForm } from '@/components/notifications/channel-form';
import { SendTestButton } from '@/components/notifications/channel-test';
import { NotFoundError } from '@/lib/errors';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import type { Channel } from '@/lib/schemas';
import { getChannel } from '@/lib/use-cases/notifications/list-channels';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Edit channel' };

async function load(slug: string): Promise<Channel> {
  try {
    return await getChannel({ channel: slug });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function EditChannelPage({ params }: { params: Promise<{ channel: string }> }) {
  const { channel: slug } = await params;
  const refused = refusal(await requireReader(), 'channel.update', { channel: slug });
  if (refused) return <Forbidden reason={refused} back={{ href: '/notifications', label: 'Notifications' }} />;
  const channel = await load(slug);
  return (
    <>
      <Breadcrumbs items={[{ label: 'Notifications', href: '/notifications' }, { label: channel.name }, { label: 'Edit' }]} />
      <div className="page-header">
        <div>
          <h1>Edit {channel.name}</h1>
          <div className="meta-row">
            <code>{channel.slug}</code>
            <SendTestButton channel={channel.slug} name={channel.name} />
          </div>
        </div>
        <div className="page-actions">
          <DeleteButton
            target={{ kind: 'channel', channel: channel.slug }}
            name={channel.name}
            consequence="this channel and its delivery log"
            redirectTo="/notifications"
          />
        </div>
      </div>
      <ChannelForm channel={channel} />
    </>
  );
}
