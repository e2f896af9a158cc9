import type { Metadata } from 'next';
import { Forbidden } from '@/components/auth/forbidden';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { ChannelForm } from '@/components/notifications/channel-form';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'New channel' };

export default async function NewChannelPage() {
  const refused = refusal(await requireReader(), 'channel.create', { channel: '' });
  if (refused) return <Forbidden reason={refused} back={{ href: '/notifications', label: 'Notifications' }} />;
  return (
    <>
      <Breadcrumbs items={[{ label: 'Notifications', href: '/notifications' }, { label: 'New channel' }]} />
      <div className="page-header">
        <div>
          <h1>New channel</h1>
          <p className="page-lede">Where alerts can be sent; then send it a test and route a team’s alerts to it.</p>
        </div>
      </div>
      <ChannelForm />
    </>
  );
}
