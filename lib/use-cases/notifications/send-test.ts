import { randomUUID } from 'node:crypto';
import { actorName, authorize, type Actor } from '../../auth/authorize';
import { decryptSecret } from '../../crypto/secrets';
import type { NotificationChannel as ChannelRow } from '../../db/generated/client';
import { insertSentNotification } from '../../db/notifications-log';
import { env } from '../../env';
import { log } from '../../log';
import { sendToChannel } from '../../notify/send';
import type { AlertMessage, DeliveryResult } from '../../notify/types';
import type { ChannelTestResult } from '../../schemas/index';
import { audited } from '../audit/audit';
import { channelConfigOf, channelTarget, findChannelRow } from './channel-records';

/** What the delivery log keeps of a receiver's answer. */
const MAX_RESPONSE = 2000;

/** A realistic message that says plainly it is a test: which channel, who sent it, that no SLO is alerting. */
export function testMessage(row: Pick<ChannelRow, 'slug' | 'name' | 'kind'>, sender: string, now: Date, idempotencyKey: string): AlertMessage {
  const base = env().UMPIRE_PUBLIC_URL ?? '';
  const at = now.toISOString();
  return {
    idempotencyKey,
    action: 'test',
    event: {
      id: 'test',
      kind: 'burn_rate',
      severity: 'page',
      alertKey: 'test',
      groupKey: `umpire/test/${row.slug}`,
      alertName: 'UmpireTestNotification',
      startedAt: at,
      endedAt: null,
      peakBurnRate: null,
      budgetSpent: null,
    },
    service: { slug: 'umpire-test', name: 'Umpire test notification', team: '' },
    slo: { slug: 'test', name: 'Test notification', objective: 0.999, labels: {} },
    figures: { asOf: at, sli: null, budgetRemaining: null, burnRates: {} },
    summary: `Test notification from Umpire to channel “${row.name}”`,
    description: `${sender} sent this test to check that the ${row.kind} channel “${row.name}” (${row.slug}) reaches its receiver. No SLO is alerting; nothing needs doing.`,
    links: { slo: `${base}/notifications`, runbook: null, dashboard: null },
  };
}

/** The channel's secret in the clear; undefined when it cannot be decrypted (the key changed or is gone). */
function storedSecret(row: Pick<ChannelRow, 'secret'>): string | null | undefined {
  if (row.secret === null) return null;
  try {
    return decryptSecret(row.secret);
  } catch {
    return undefined;
  }
}

/** What the receiver said, cut to size, with the secret blanked should a receiver echo it back. */
function cleanResponse(result: DeliveryResult, secret: string | null): string {
  const text = secret ? result.response.split(secret).join('[secret]') : result.response;
  return text.length > MAX_RESPONSE ? `${text.slice(0, MAX_RESPONSE)}…` : text;
}

/**
 * Sends a test notification now, through the same adapter and guard as an alert, and records it in the channel's
 * delivery log (action test) with its one attempt. A receiver that fails is reported, not thrown.
 */
export async function sendTestNotification({ actor, channel }: { actor: Actor; channel: string }): Promise<ChannelTestResult> {
  await authorize(actor, 'channel.test', { channel });
  const row = await findChannelRow(channel);
  const now = new Date();
  const message = testMessage(row, actorName(actor), now, `test:${row.slug}:${randomUUID()}`);
  const secret = storedSecret(row);
  const started = performance.now();
  const result: DeliveryResult =
    secret === undefined
      ? {
          ok: false,
          statusCode: null,
          response: 'the stored secret cannot be read: UMPIRE_SECRET_KEY is unset or not the key it was stored with',
          retryable: false,
        }
      : await sendToChannel({ slug: row.slug, config: channelConfigOf(row), secret }, message);
  const ms = Math.round(performance.now() - started);
  const response = cleanResponse(result, secret ?? null);
  const notification = await audited(actor, async (tx) => {
    const sent = await insertSentNotification(tx, {
      idempotencyKey: message.idempotencyKey,
      channelId: row.id,
      action: 'test',
      payload: message as unknown as Parameters<typeof insertSentNotification>[1]['payload'],
      status: result.ok ? 'delivered' : 'failed',
      attempt: { at: now, ok: result.ok, statusCode: result.statusCode, response, ms },
    });
    return {
      result: sent,
      audit: { action: 'channel.test', target: channelTarget(row), details: { ok: result.ok, statusCode: result.statusCode, notification: sent.id } },
    };
  });
  log[result.ok ? 'info' : 'warn']('channel.tested', {
    channel: row.slug,
    kind: row.kind,
    ok: result.ok,
    statusCode: result.statusCode,
    ms,
    by: actorName(actor),
  });
  return { ok: result.ok, statusCode: result.statusCode, response, delivery: notification.id };
}
