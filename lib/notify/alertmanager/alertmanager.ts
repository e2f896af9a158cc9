import { z } from 'zod';
import { outboundPolicyFromEnv, outboundUrlProblem } from '../../sources/http/outbound';
import { fieldError, postJson, refused } from '../deliver';
import type { AlertMessage, ChannelAdapter } from '../types';

/**
 * A firing alert is sent with endsAt this far ahead and re-sent every minute (ALERT_DEFAULTS.resendMinutes), as
 * Prometheus does (4 × its resend delay): if Umpire stops sending, Alertmanager resolves the alert by itself.
 */
export const ALERTMANAGER_VALID_FOR_MS = 4 * 60_000;

const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name');

/** A postable alert as Alertmanager's API v2 takes it (api/v2/openapi.yaml, postableAlert): POST /api/v2/alerts takes an array. */
export const AlertmanagerAlert = z.strictObject({
  labels: z.record(LabelName, z.string().min(1)).refine((labels) => typeof labels.alertname === 'string', { message: 'must have an alertname' }),
  annotations: z.record(LabelName, z.string()).optional(),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  endsAt: z.iso.datetime({ offset: true }).optional(),
  generatorURL: z.url().optional(),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlert>;
export const AlertmanagerAlerts = z.array(AlertmanagerAlert).min(1);

/**
 * The alert for a message. Its labels identify it in Alertmanager (routing, grouping, silences and inhibition match
 * on them), so they hold only stable facts; the figures go in the annotations, which are replaced on every send.
 */
export function alertmanagerAlerts(message: AlertMessage, now: Date): AlertmanagerAlert[] {
  const { event } = message;
  const labels: Record<string, string> = {
    alertname: event.alertName,
    severity: event.severity,
    service: message.service.slug,
    slo: message.slo.slug,
    team: message.service.team,
    kind: event.kind,
  };
  // A test is its own alert (another fingerprint): it never merges into, extends or ends a real one, and a route can
  // match test="true" to send tests elsewhere.
  if (message.action === 'test') labels.test = 'true';
  if (event.kind === 'burn_rate') {
    if (event.longWindow) labels.long_window = event.longWindow;
    if (event.shortWindow) labels.short_window = event.shortWindow;
  }
  const annotations: Record<string, string> = { summary: message.summary, description: message.description, slo_url: message.links.slo };
  if (message.links.runbook) annotations.runbook_url = message.links.runbook;
  if (message.links.dashboard) annotations.dashboard_url = message.links.dashboard;
  const endsAt = message.action === 'resolve' ? (event.endedAt ?? now.toISOString()) : new Date(now.getTime() + ALERTMANAGER_VALID_FOR_MS).toISOString();
  return [{ labels, annotations, startsAt: event.startedAt, endsAt, generatorURL: message.links.slo }];
}

/** {url}/api/v2/alerts, keeping a path prefix (Alertmanager behind --web.route-prefix or a proxy). */
export function alertsEndpoint(base: string): string {
  return new URL('api/v2/alerts', base.endsWith('/') ? base : `${base}/`).toString();
}

export const alertmanagerAdapter: ChannelAdapter<'alertmanager'> = {
  kind: 'alertmanager',
  validate(config) {
    return fieldError('config.url', outboundUrlProblem(config.url, outboundPolicyFromEnv()));
  },
  async send(message, channel, deps) {
    const body = JSON.stringify(alertmanagerAlerts(message, deps.now()));
    const { username } = channel.config;
    if (username?.includes(':')) return refused('the Alertmanager username must not contain a colon');
    const headers: Record<string, string> = {};
    if (username || channel.secret) headers.authorization = `Basic ${Buffer.from(`${username ?? ''}:${channel.secret ?? ''}`).toString('base64')}`;
    return postJson(deps, alertsEndpoint(channel.config.url), body, { headers, secrets: [channel.secret, headers.authorization] });
  },
};
