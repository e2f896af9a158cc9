import { createHash } from 'node:crypto';
import { z } from 'zod';
import { outboundPolicyFromEnv, outboundUrlProblem } from '../../sources/http/outbound';
import type { Severity } from '../../schemas/index';
import { postJson, refused } from '../deliver';
import { messageFigures } from '../figures';
import { truncate } from '../text';
import type { AlertMessage, ChannelAdapter } from '../types';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

const PagerDutySeverity = z.enum(['critical', 'error', 'warning', 'info']);
const Link = z.strictObject({ href: z.url(), text: z.string().optional() });

/** An event as PagerDuty's Events API v2 takes it (POST /v2/enqueue): a trigger with its payload, or a resolve naming the dedup key. */
export const PagerDutyEvent = z.discriminatedUnion('event_action', [
  z.strictObject({
    routing_key: z.string().min(1),
    event_action: z.literal('trigger'),
    dedup_key: z.string().min(1).max(255),
    payload: z.strictObject({
      summary: z.string().min(1).max(1024),
      source: z.string().min(1),
      severity: PagerDutySeverity,
      timestamp: z.iso.datetime({ offset: true }).optional(),
      component: z.string().optional(),
      group: z.string().optional(),
      class: z.string().optional(),
      custom_details: z.record(z.string(), z.unknown()).optional(),
    }),
    links: z.array(Link).optional(),
    images: z.array(z.strictObject({ src: z.url(), href: z.url().optional(), alt: z.string().optional() })).optional(),
    client: z.string().optional(),
    client_url: z.url().optional(),
  }),
  z.strictObject({ routing_key: z.string().min(1), event_action: z.enum(['acknowledge', 'resolve']), dedup_key: z.string().min(1).max(255) }),
]);
export type PagerDutyEvent = z.infer<typeof PagerDutyEvent>;

/** A page wakes someone: PagerDuty's critical; a ticket is a warning (low urgency under a severity-based urgency rule). */
export function pagerDutySeverity(severity: Severity): 'critical' | 'warning' {
  return severity === 'page' ? 'critical' : 'warning';
}

/**
 * The dedup key: the alert's group key (stable per SLO, kind and severity), so a repeat updates the open incident and a
 * resolve closes it. A test gets its own key, so it never lands on (or resolves) a real incident.
 * PagerDuty takes at most 255 characters; a longer key is hashed.
 */
export function pagerDutyDedupKey(message: AlertMessage): string {
  const key = message.action === 'test' ? `${message.event.groupKey}/test` : message.event.groupKey;
  return key.length <= 255 ? key : `umpire/${createHash('sha256').update(key).digest('hex')}`;
}

export function pagerDutyEvent(message: AlertMessage, routingKey: string): PagerDutyEvent {
  const dedupKey = pagerDutyDedupKey(message);
  if (message.action === 'resolve') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  const { event, service, slo, figures } = message;
  const links = [{ href: message.links.slo, text: 'SLO in Umpire' }];
  if (message.links.runbook) links.push({ href: message.links.runbook, text: 'Runbook' });
  if (message.links.dashboard) links.push({ href: message.links.dashboard, text: 'Dashboard' });
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: truncate(message.action === 'test' ? `[TEST] ${message.summary}` : message.summary, 1024),
      source: `umpire: ${service.slug}/${slo.slug}`,
      severity: pagerDutySeverity(event.severity),
      timestamp: figures.asOf,
      component: slo.slug,
      group: service.slug,
      class: event.kind,
      custom_details: {
        description: message.description,
        service: service.name,
        slo: slo.name,
        team: service.team,
        ...Object.fromEntries(messageFigures(message).map((f) => [f.label.toLowerCase().replaceAll(' ', '_'), f.value])),
        started_at: event.startedAt,
        as_of: figures.asOf,
        labels: slo.labels,
      },
    },
    links,
    client: 'Umpire',
    client_url: message.links.slo,
  };
}

export const pagerDutyAdapter: ChannelAdapter<'pagerduty'> = {
  kind: 'pagerduty',
  validate(config, secret) {
    const errors: Record<string, string> = {};
    const problem = outboundUrlProblem(config.url, outboundPolicyFromEnv());
    if (problem) errors['config.url'] = problem;
    if (!secret) errors.secret = 'is required: the integration key (routing key) of a PagerDuty Events API v2 integration';
    return errors;
  },
  async send(message, channel, deps) {
    if (!channel.secret) return refused('no routing key: set the channel secret to the integration key');
    const body = JSON.stringify(pagerDutyEvent(message, channel.secret));
    return postJson(deps, channel.config.url ?? PAGERDUTY_EVENTS_URL, body, { secrets: [channel.secret] });
  },
};
