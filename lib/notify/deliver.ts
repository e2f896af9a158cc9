import { OutboundBlockedError } from '../sources/http/outbound';
import type { DeliveryResult, SendDeps } from './types';

/** How much of a receiver's answer the delivery log keeps. */
export const RESPONSE_LIMIT = 1000;

/** Whether retrying can help after an HTTP status: a 5xx, 408 or 429 may pass; any other 4xx (or a 3xx: redirects are not followed) will not. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Replaces every secret (and its URL-encoded form) in a text, then cuts it to RESPONSE_LIMIT characters. */
export function redact(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]');
  }
  return out.length > RESPONSE_LIMIT ? `${out.slice(0, RESPONSE_LIMIT - 1)}…` : out;
}

/** A DeliveryResult for an HTTP answer: ok for 2xx, the body (or the status) as the response. */
export function httpResult(status: number, body: string, secrets: ReadonlyArray<string | null | undefined>): DeliveryResult {
  const ok = status >= 200 && status < 300;
  const text = body.trim() || `HTTP ${status}`;
  return { ok, statusCode: status, response: redact(text, secrets), retryable: !ok && retryableStatus(status) };
}

/**
 * A DeliveryResult for a request that got no answer: refused by the outbound guard (retrying cannot help), timed out
 * or failed to connect (it may pass later).
 */
export function failureResult(error: unknown, secrets: ReadonlyArray<string | null | undefined>, timeoutMs: number): DeliveryResult {
  const blocked = [error, error instanceof Error ? error.cause : null].find(
    (e) => e instanceof OutboundBlockedError || (e instanceof Error && e.name === 'OutboundBlockedError'),
  );
  if (blocked instanceof Error) return { ok: false, statusCode: null, response: redact(blocked.message, secrets), retryable: false };
  const name = error instanceof Error ? error.name : 'Error';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { ok: false, statusCode: null, response: `no answer within ${timeoutMs} ms`, retryable: true };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  const message = error instanceof Error ? `${error.name}: ${error.message}${cause}` : String(error);
  return { ok: false, statusCode: null, response: redact(message, secrets), retryable: true };
}

/**
 * POSTs a JSON body through deps.fetch (the outbound guard) within deps.timeoutMs. Never throws. `secrets` are kept
 * out of the response text whatever the receiver echoes.
 */
export async function postJson(
  deps: SendDeps,
  url: string,
  body: string,
  options: { headers?: Record<string, string>; secrets: ReadonlyArray<string | null | undefined> },
): Promise<DeliveryResult> {
  try {
    const response = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Umpire', ...options.headers },
      body,
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    return httpResult(response.status, await response.text(), options.secrets);
  } catch (error) {
    return failureResult(error, options.secrets, deps.timeoutMs);
  }
}

/** A refusal before anything was sent (no secret configured, an unusable URL): retrying cannot help. */
export function refused(response: string): DeliveryResult {
  return { ok: false, statusCode: null, response, retryable: false };
}

/** `{ [field]: problem }`, or no errors when there is no problem: what a validate() returns for one field. */
export function fieldError(field: string, problem: string | null): Record<string, string> {
  return problem ? { [field]: problem } : {};
}
