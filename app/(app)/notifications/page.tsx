import type { Metadata } from 'next';
import Link from 'next/link';
import { DeliveryLog } from '@/components/notifications/delivery-log';
import { SendTestButton } from '@/components/notifications/channel-test';
import { RoutesPanel } from '@/components/notifications/routes-panel';
import { SilencesPanel } from '@/components/notifications/silences-panel';
import { can } from '@/lib/auth/permissions';
import { requireReader } from '@/lib/http/page-actor';
import type { Channel } from '@/lib/schemas';
import { listChannels } from '@/lib/use-cases/notifications/list-channels';
import { notificationTargets } from '@/lib/use-cases/notifications/notification-page';
import { listRoutes } from '@/lib/use-cases/notifications/routes';
import { listSilences } from '@/lib/use-cases/notifications/silences';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Notifications' };

/** Where a channel sends, in a line; never its secret. */
function destination(channel: Channel): string {
  switch (channel.config.kind) {
    case 'alertmanager':
    case 'pagerduty':
    case 'webhook':
      return channel.config.url;
    case 'slack':
      return 'Slack incoming webhook';
    case 'email':
      return `${channel.config.to.join(', ')} via ${channel.config.host}:${channel.config.port}`;
  }
}

export default async function NotificationsPage() {
  const actor = await requireReader();
  const admin = can(actor, 'channel.create', { channel: '' }).allowed;
  const mayTest = can(actor, 'channel.test', { channel: '' }).allowed;
  const [channels, routes, active, past, targets] = await Promise.all([
    listChannels(),
    listRoutes(),
    listSilences({ active: 'true' }),
    listSilences({ active: 'false' }),
    notificationTargets(actor),
  ]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Notifications</h1>
          <p className="page-lede">
            Where alerts go: channels (admins define them), routes that send a team’s alerts to them, and silences that hold them for a while.
          </p>
        </div>
        {admin ? (
          <div className="page-actions">
            <Link href="/notifications/channels/new" className="btn btn-primary">
              Add channel
            </Link>
          </div>
        ) : null}
      </div>

      <section aria-labelledby="channels-title">
        <div className="section-header">
          <h2 id="channels-title">Channels</h2>
        </div>
        {channels.length === 0 ? (
          <section className="empty-state" aria-labelledby="no-channels-title">
            <h2 id="no-channels-title">No channels yet</h2>
            <p>
              A channel is a webhook, Slack, PagerDuty, Alertmanager or e-mail receiver. {admin ? 'Add one, then route alerts to it.' : 'An admin adds them.'}
            </p>
          </section>
        ) : (
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">Channels</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Sends to</th>
                  <th scope="col">Secret</th>
                  <th scope="col">Test</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {channels.map((c) => (
                  <tr key={c.slug} data-channel={c.slug}>
                    <th scope="row">
                      <span className="row-title">{c.name}</span>
                      <div className="row-meta">
                        <code>{c.slug}</code> <span>{c.kind}</span>
                      </div>
                      <DeliveryLog channel={c.slug} name={c.name} />
                    </th>
                    <td>
                      <code className="url-cell">{destination(c)}</code>
                    </td>
                    <td>{c.hasSecret ? 'set' : <span className="muted">none</span>}</td>
                    <td>{mayTest ? <SendTestButton channel={c.slug} name={c.name} /> : <span className="muted">—</span>}</td>
                    <td>
                      {admin ? (
                        <Link
                          href={`/notifications/channels/${encodeURIComponent(c.slug)}/edit`}
                          className="btn btn-ghost btn-sm"
                          aria-label={`Edit ${c.name}`}
                        >
                          Edit
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="routes-title">
        <div className="section-header">
          <h2 id="routes-title">Routes</h2>
          <p>Which of a team’s alerts go to which channel. Empty lists match everything.</p>
        </div>
        <RoutesPanel
          routes={routes}
          channels={channels.map((c) => ({ slug: c.slug, name: c.name, kind: c.kind }))}
          services={targets.services}
          editableTeams={targets.editableTeams}
        />
      </section>

      <section aria-labelledby="silences-title">
        <div className="section-header">
          <h2 id="silences-title">Silences</h2>
          <p>Hold a team’s, a service’s or an SLO’s notifications for a while; the alerts still show.</p>
        </div>
        <SilencesPanel active={active} past={past.slice(0, 50)} services={targets.services} editableTeams={targets.editableTeams} />
      </section>
    </>
  );
}
