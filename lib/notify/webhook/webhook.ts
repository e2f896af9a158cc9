import { outboundPolicyFromEnv, outboundUrlProblem } from '../../sources/http/outbound';
import { postJson, refused } from '../deliver';
import type { AlertMessage, ChannelAdapter } from '../types';
import { WEBHOOK_IDEMPOTENCY_HEADER, WEBHOOK_SIGNATURE_HEADER, webhookSignature, type WebhookPayload } from './contract';

export { verifyWebhookSignature, WEBHOOK_IDEMPOTENCY_HEADER, WEBHOOK_SIGNATURE_HEADER, webhookSignature, WebhookPayload } from './contract';

export function webhookPayload(message: AlertMessage): WebhookPayload {
  const { idempotencyKey, action, event, service, slo, figures, summary, description, links } = message;
  return { version: 1, action, idempotencyKey, event, service, slo, figures, summary, description, links };
}

export const webhookAdapter: ChannelAdapter<'webhook'> = {
  kind: 'webhook',
  validate(config, secret) {
    const errors: Record<string, string> = {};
    const problem = outboundUrlProblem(config.url, outboundPolicyFromEnv());
    if (problem) errors['config.url'] = problem;
    if (!secret) errors.secret = 'is required: the signing secret the receiver verifies X-Umpire-Signature with';
    return errors;
  },
  async send(message, channel, deps) {
    if (!channel.secret) return refused('no signing secret: set the channel secret');
    const body = JSON.stringify(webhookPayload(message));
    const headers = {
      [WEBHOOK_IDEMPOTENCY_HEADER]: message.idempotencyKey,
      [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(channel.secret, body, deps.now()),
    };
    return postJson(deps, channel.config.url, body, { headers, secrets: [channel.secret] });
  },
};
