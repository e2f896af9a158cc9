import { z } from 'zod';
import { Duration, HttpUrl, Labels, ManagedBy, Slug } from './common';
import { Severity } from './slo';

/** What an alert is about: a burn-rate tier, an SLO whose data stopped or went stale, a budget below a share. */
export const AlertKind = z.enum(['burn_rate', 'data_absent', 'budget_low'], { error: 'must be burn_rate, data_absent or budget_low' });
export type AlertKind = z.infer<typeof AlertKind>;

export const AlertState = z.enum(['pending', 'firing', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

/** One alert event as the API returns it (GET /api/v1/alerts, GET .../slos/{slo}/alerts). */
export const AlertEvent = z.object({
  id: z.uuid(),
  service: z.string(),
  slo: z.string(),
  sloName: z.string(),
  team: z.string(),
  kind: AlertKind,
  severity: Severity,
  alertKey: z.string(),
  state: AlertState,
  pendingSince: z.iso.datetime().nullable(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  lastFiringAt: z.iso.datetime().nullable(),
  peakBurnRate: z.number().nullable(),
  budgetAtStart: z.number().nullable(),
  budgetSpent: z.number().nullable(),
  /** Long and short window and threshold (burn_rate), share (budget_low), stale since (data_absent). */
  details: z.record(z.string(), z.unknown()),
  /** Held by a silence right now. */
  silenced: z.boolean(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;

export const AlertQuery = z.strictObject({
  state: z.enum(['firing', 'pending', 'resolved', 'open', 'all']).default('open'),
  service: Slug.optional(),
  team: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AlertQuery = z.infer<typeof AlertQuery>;

/** The SLO-independent alert settings every SLO gets (an SLO's labels do not change them). */
export const ALERT_DEFAULTS = {
  /** A resolved alert that fires again within this many minutes continues the same event. */
  reopenMinutes: 30,
  /** Data absent: no minute read for this long (or the source failing this long) fires the absent alert. */
  absentMinutes: 15,
  /** Budget low: fires when the remaining budget falls below this share (of the whole budget). */
  budgetLowShare: 0.25,
  /** Alertmanager: firing alerts are re-sent this often (Prometheus' resend delay is 1 minute). */
  resendMinutes: 1,
} as const;

export const ChannelKind = z.enum(['alertmanager', 'pagerduty', 'slack', 'webhook', 'email'], {
  error: 'must be alertmanager, pagerduty, slack, webhook or email',
});
export type ChannelKind = z.infer<typeof ChannelKind>;

const EmailAddress = z.email({ error: 'must be an e-mail address' }).max(320);

/**
 * A channel's settings by kind. Secrets (PagerDuty routing key, Slack webhook URL, webhook signing secret, SMTP
 * password, Alertmanager basic-auth password) are in `secret` on input only: never returned, never logged.
 */
export const ChannelConfig = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('alertmanager'), url: HttpUrl, username: z.string().max(200).optional() }),
    z.strictObject({
      kind: z.literal('pagerduty'),
      /** Events API v2 endpoint; PagerDuty's own unless an operator proxies it. */
      url: HttpUrl.default('https://events.pagerduty.com/v2/enqueue'),
    }),
    z.strictObject({ kind: z.literal('slack') }),
    z.strictObject({ kind: z.literal('webhook'), url: HttpUrl }),
    z.strictObject({
      kind: z.literal('email'),
      host: z.string().min(1, 'is required').max(253),
      port: z.number().int().min(1).max(65535).default(587),
      /** true: TLS from the start (465); false: STARTTLS when offered. */
      secure: z.boolean().default(false),
      username: z.string().max(200).optional(),
      from: EmailAddress,
      to: z.array(EmailAddress).min(1, 'needs at least one address').max(50),
    }),
  ],
  { error: 'kind must be alertmanager, pagerduty, slack, webhook or email' },
);
export type ChannelConfig = z.infer<typeof ChannelConfig>;

/** POST /api/v1/channels */
export const ChannelInput = z.strictObject({
  slug: Slug,
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  config: ChannelConfig,
  /** Write-only. Required for pagerduty (routing key), slack (webhook URL) and webhook (signing secret). */
  secret: z.string().min(1, 'is required').max(4096).optional(),
});
export type ChannelInput = z.infer<typeof ChannelInput>;

/** PATCH /api/v1/channels/{channel}: a new secret replaces the old; absent keeps it. */
export const ChannelPatch = z
  .strictObject({ name: ChannelInput.shape.name, config: ChannelConfig, secret: ChannelInput.shape.secret })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' });
export type ChannelPatch = z.infer<typeof ChannelPatch>;

/** A channel as the API returns it: never its secret, only whether it has one. */
export const Channel = z.object({
  slug: z.string(),
  name: z.string(),
  kind: ChannelKind,
  config: ChannelConfig,
  hasSecret: z.boolean(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Channel = z.infer<typeof Channel>;

/** POST /api/v1/routes: which of a team's alerts go to a channel. */
export const RouteInput = z.strictObject({
  team: z.string().trim().min(1, 'is required').max(100),
  channel: Slug,
  services: z.array(Slug).max(100).default([]),
  /** SLO slugs of the one service in `services`; empty: every SLO. */
  slos: z.array(Slug).max(100).default([]),
  severities: z.array(Severity).max(2).default([]),
  kinds: z.array(AlertKind).max(3).default([]),
  labels: Labels.default({}),
});
export type RouteInput = z.infer<typeof RouteInput>;

export const Route = RouteInput.extend({
  id: z.uuid(),
  channelName: z.string(),
  channelKind: ChannelKind,
  /** Set when an OpenSLO notification target applied from git made it (docs/gitops.md). */
  managedBy: ManagedBy.nullable(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
});
export type Route = z.infer<typeof Route>;

export const SilenceScope = z.enum(['team', 'service', 'slo'], { error: 'must be team, service or slo' });

/** POST /api/v1/silences: hold a team's, a service's or an SLO's notifications for a while. */
export const SilenceInput = z
  .strictObject({
    scope: SilenceScope,
    team: z.string().trim().min(1).max(100).optional(),
    service: Slug.optional(),
    slo: Slug.optional(),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
    reason: z.string().trim().min(1, 'is required: say why notifications are held').max(500),
  })
  .superRefine((s, ctx) => {
    if (s.scope === 'team' && !s.team) ctx.addIssue({ code: 'custom', path: ['team'], message: 'is required for a team silence' });
    if (s.scope !== 'team' && !s.service) ctx.addIssue({ code: 'custom', path: ['service'], message: `is required for a ${s.scope} silence` });
    if (s.scope === 'slo' && !s.slo) ctx.addIssue({ code: 'custom', path: ['slo'], message: 'is required for an SLO silence' });
    if (Date.parse(s.endsAt) <= Date.parse(s.startsAt ?? new Date().toISOString()))
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after the start' });
  });
export type SilenceInput = z.infer<typeof SilenceInput>;

export const Silence = z.object({
  id: z.uuid(),
  scope: SilenceScope,
  team: z.string(),
  service: z.string().nullable(),
  slo: z.string().nullable(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  reason: z.string(),
  createdBy: z.string(),
  active: z.boolean(),
});
export type Silence = z.infer<typeof Silence>;

/** superseded: a re-send a newer one replaced before it went out. */
export const NotificationStatus = z.enum(['pending', 'sending', 'delivered', 'failed', 'held', 'superseded']);
export const NotificationAction = z.enum(['trigger', 'resolve', 'repeat', 'test']);
export type NotificationAction = z.infer<typeof NotificationAction>;

/** A delivery as the log shows it (per channel and per alert event). */
export const Delivery = z.object({
  id: z.uuid(),
  channel: z.string(),
  channelKind: ChannelKind,
  action: NotificationAction,
  status: NotificationStatus,
  attempts: z.number().int(),
  createdAt: z.iso.datetime(),
  deliveredAt: z.iso.datetime().nullable(),
  nextAttemptAt: z.iso.datetime().nullable(),
  service: z.string().nullable(),
  slo: z.string().nullable(),
  alertEventId: z.uuid().nullable(),
  lastAttempt: z.object({ at: z.iso.datetime(), ok: z.boolean(), statusCode: z.number().nullable(), response: z.string(), ms: z.number() }).nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

/** An optional `for` on a tier: its condition must hold this long before it fires, as in Prometheus. */
export const ForDuration = Duration;
