import type { Channel, ChannelKind } from '@/lib/schemas';
import { listOf } from '../form/values';

/** What the channel form edits: every kind's fields as text, so switching kinds keeps what was typed. */
export interface ChannelDraft {
  name: string;
  slug: string;
  kind: ChannelKind;
  url: string;
  username: string;
  host: string;
  port: string;
  secure: boolean;
  from: string;
  to: string;
  /** Write-only: empty on edit, sent only when typed. */
  secret: string;
}

export const PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';

export function channelDraftOf(channel?: Channel): ChannelDraft {
  const draft: ChannelDraft = {
    name: channel?.name ?? '',
    slug: channel?.slug ?? '',
    kind: channel?.kind ?? 'webhook',
    url: '',
    username: '',
    host: '',
    port: '587',
    secure: false,
    from: '',
    to: '',
    secret: '',
  };
  const config = channel?.config;
  if (!config) return draft;
  switch (config.kind) {
    case 'alertmanager':
      return { ...draft, url: config.url, username: config.username ?? '' };
    case 'pagerduty':
    case 'webhook':
      return { ...draft, url: config.url };
    case 'email':
      return {
        ...draft,
        host: config.host,
        port: String(config.port),
        secure: config.secure,
        username: config.username ?? '',
        from: config.from,
        to: config.to.join(', '),
      };
    case 'slack':
      return draft;
  }
}

/** The kind's settings as the API takes them (ChannelConfig), before validation. */
export function configOf(draft: ChannelDraft): Record<string, unknown> {
  const username = draft.username.trim() ? { username: draft.username.trim() } : {};
  switch (draft.kind) {
    case 'alertmanager':
      return { kind: 'alertmanager', url: draft.url.trim(), ...username };
    case 'pagerduty':
      return { kind: 'pagerduty', url: draft.url.trim() || PAGERDUTY_URL };
    case 'webhook':
      return { kind: 'webhook', url: draft.url.trim() };
    case 'slack':
      return { kind: 'slack' };
    case 'email': {
      const port = Number(draft.port.trim());
      return {
        kind: 'email',
        host: draft.host.trim(),
        port: draft.port.trim() === '' || !Number.isFinite(port) ? draft.port : port,
        secure: draft.secure,
        ...username,
        from: draft.from.trim(),
        to: listOf(draft.to),
      };
    }
  }
}

/**
 * The body to send: on create a ChannelInput; on edit a ChannelPatch of what changed, the secret only when one
 * was typed (empty keeps the stored one).
 */
export function channelBodyOf(draft: ChannelDraft, channel?: Channel): Record<string, unknown> {
  const secret = draft.secret === '' ? {} : { secret: draft.secret };
  const config = configOf(draft);
  if (!channel) return { slug: draft.slug.trim(), name: draft.name.trim(), config, ...secret };
  const patch: Record<string, unknown> = { ...secret };
  if (draft.name.trim() !== channel.name) patch.name = draft.name.trim();
  if (JSON.stringify(config) !== JSON.stringify(configOf(channelDraftOf(channel)))) patch.config = config;
  return patch;
}

/** What the secret is for each kind, and whether the kind needs one. */
export const SECRET_OF: Record<ChannelKind, { label: string; required: boolean; hint: string }> = {
  alertmanager: { label: 'Password', required: false, hint: 'Basic-auth password, if Alertmanager sits behind one.' },
  pagerduty: { label: 'Routing key', required: true, hint: 'The integration key of a PagerDuty service (Events API v2).' },
  slack: { label: 'Webhook URL', required: true, hint: 'The incoming-webhook URL Slack gave you; it is the secret.' },
  webhook: { label: 'Signing secret', required: true, hint: 'Umpire signs each request with it, so the receiver can check it came from Umpire.' },
  email: { label: 'SMTP password', required: false, hint: 'For the SMTP username above, if the server needs one.' },
};
