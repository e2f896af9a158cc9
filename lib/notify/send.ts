import { outboundFetch, outboundPolicyFromEnv } from '../sources/http/outbound';
import { failureResult } from './deliver';
import { adapters } from './registry';
import type { AlertMessage, ChannelAdapter, ChannelTarget, DeliveryResult, SendDeps } from './types';

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Sends one message to one channel, through the outbound guard: never throws, every failure comes back as a
 * DeliveryResult that says whether retrying can help.
 */
export async function sendToChannel(target: ChannelTarget, message: AlertMessage, deps: Partial<SendDeps> = {}): Promise<DeliveryResult> {
  const adapter = adapters[target.config.kind] as ChannelAdapter | undefined;
  if (!adapter) return { ok: false, statusCode: null, response: `no adapter for channel kind ${target.config.kind}`, retryable: false };
  const full: SendDeps = {
    fetch: deps.fetch ?? outboundFetch(outboundPolicyFromEnv(), { datasource: `channel:${target.slug}`, secretPath: target.config.kind === 'slack' }),
    timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    now: deps.now ?? (() => new Date()),
  };
  try {
    return await adapter.send(message, target as never, full);
  } catch (error) {
    // An adapter that throws after all: refused by the guard (final), anything else may pass later. Never the secret.
    return failureResult(error, [target.secret], full.timeoutMs);
  }
}
