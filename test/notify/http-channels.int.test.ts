import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertMessage } from '../../lib/notify/message.fixture';
import { PagerDutyEvent } from '../../lib/notify/pagerduty/pagerduty';
import { sendToChannel } from '../../lib/notify/send';
import { SlackMessage } from '../../lib/notify/slack/slack';
import { AlertmanagerAlerts } from '../../lib/notify/alertmanager/alertmanager';
import { WebhookPayload, verifyWebhookSignature } from '../../lib/notify/webhook/webhook';
import { startReceiver, type Receiver } from './receiver';

// Every delivery here goes through sendToChannel and the real outbound guard (no fetch stub): the receivers are real
// HTTP servers on loopback, which the guard allows (it refuses link-local and metadata addresses).
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => receiver.close());

function lastRequest() {
  const request = receiver.requests.at(-1);
  if (!request) throw new Error('the receiver got nothing');
  return request;
}

describe('HTTP channels, delivered to a local receiver', () => {
  it('webhook: the receiver verifies the signature over the raw body it got', async () => {
    receiver.answer = { status: 200, body: 'thanks' };
    const message = alertMessage();
    const result = await sendToChannel({ slug: 'hook', config: { kind: 'webhook', url: `${receiver.url}/umpire` }, secret: 'whsec_int' }, message);
    expect(result).toEqual({ ok: true, statusCode: 200, response: 'thanks', retryable: false });
    const request = lastRequest();
    expect(request).toMatchObject({ method: 'POST', path: '/umpire' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-umpire-idempotency-key']).toBe(message.idempotencyKey);
    expect(verifyWebhookSignature('whsec_int', String(request.headers['x-umpire-signature']), request.body)).toBe(true);
    expect(verifyWebhookSignature('whsec_int', String(request.headers['x-umpire-signature']), request.body.replace('payments', 'attacker'))).toBe(false);
    expect(WebhookPayload.parse(JSON.parse(request.body))).toMatchObject({ version: 1, action: 'trigger', slo: { slug: 'availability' } });
  });

  it('slack: the webhook URL is the secret, the body is Block Kit with escaped user text', async () => {
    receiver.answer = { status: 200, body: 'ok' };
    const message = alertMessage({ slo: { slug: 'availability', name: 'Avail <!channel>', objective: 0.999, labels: {} } });
    const result = await sendToChannel({ slug: 'slack', config: { kind: 'slack' }, secret: `${receiver.url}/services/T1/B2/SECRETTOKEN` }, message);
    expect(result).toMatchObject({ ok: true, statusCode: 200 });
    const request = lastRequest();
    expect(request.path).toBe('/services/T1/B2/SECRETTOKEN');
    const body = SlackMessage.parse(JSON.parse(request.body));
    expect(body.text).toContain('[PAGE]');
    expect(request.body).toContain('Avail &lt;!channel&gt;');
    expect(request.body).not.toContain('<!channel>');
  });

  it('slack: a receiver echoing the URL does not put the token in the delivery log', async () => {
    receiver.answer = { status: 404, body: 'no_service: /services/T1/B2/SECRETTOKEN' };
    const result = await sendToChannel({ slug: 'slack', config: { kind: 'slack' }, secret: `${receiver.url}/services/T1/B2/SECRETTOKEN` }, alertMessage());
    expect(result).toMatchObject({ ok: false, statusCode: 404, retryable: false });
    expect(result.response).not.toContain('SECRETTOKEN');
  });

  it('pagerduty: a trigger, then a resolve on the same dedup key; 202 is success', async () => {
    receiver.answer = { status: 202, body: '{"status":"success","message":"Event processed","dedup_key":"umpire/checkout-api/availability/burn_rate/page"}' };
    const channel = { slug: 'pd', config: { kind: 'pagerduty' as const, url: `${receiver.url}/v2/enqueue` }, secret: 'R0UTINGKEY0123456789' };
    expect(await sendToChannel(channel, alertMessage())).toMatchObject({ ok: true, statusCode: 202 });
    const trigger = PagerDutyEvent.parse(JSON.parse(lastRequest().body));
    expect(await sendToChannel(channel, alertMessage({ action: 'resolve', event: { endedAt: '2026-12-07T16:30:00.000Z' } }))).toMatchObject({ ok: true });
    const resolve = PagerDutyEvent.parse(JSON.parse(lastRequest().body));
    expect(trigger).toMatchObject({
      routing_key: 'R0UTINGKEY0123456789',
      event_action: 'trigger',
      payload: { severity: 'critical', source: 'umpire: checkout-api/availability' },
    });
    expect(resolve).toEqual({ routing_key: 'R0UTINGKEY0123456789', event_action: 'resolve', dedup_key: trigger.dedup_key });
  });

  it('alertmanager behind a proxy: the alerts path under the prefix, with basic auth', async () => {
    receiver.answer = { status: 200, body: '' };
    const result = await sendToChannel(
      { slug: 'am', config: { kind: 'alertmanager', url: `${receiver.url}/am/`, username: 'umpire' }, secret: 'pa55' },
      alertMessage(),
    );
    expect(result).toEqual({ ok: true, statusCode: 200, response: 'HTTP 200', retryable: false });
    expect(lastRequest().path).toBe('/am/api/v2/alerts');
    expect(lastRequest().headers.authorization).toBe(`Basic ${Buffer.from('umpire:pa55').toString('base64')}`);
    expect(AlertmanagerAlerts.parse(JSON.parse(lastRequest().body))).toHaveLength(1);
  });

  it('a 500 may pass later; a 400 will not; the answer is cut to 1000 characters', async () => {
    const channel = { slug: 'hook', config: { kind: 'webhook' as const, url: `${receiver.url}/umpire` }, secret: 'whsec_int' };
    receiver.answer = { status: 500, body: 'x'.repeat(5000) };
    const failed = await sendToChannel(channel, alertMessage());
    expect(failed).toMatchObject({ ok: false, statusCode: 500, retryable: true });
    expect(failed.response).toHaveLength(1000);
    receiver.answer = { status: 400, body: 'bad payload for whsec_int' };
    expect(await sendToChannel(channel, alertMessage())).toEqual({ ok: false, statusCode: 400, response: 'bad payload for [redacted]', retryable: false });
    receiver.answer = { status: 429, body: 'slow down' };
    expect(await sendToChannel(channel, alertMessage())).toMatchObject({ ok: false, statusCode: 429, retryable: true });
  });

  it('a receiver that does not answer in time counts as failed, retryable', async () => {
    receiver.answer = 'hang';
    const started = Date.now();
    const result = await sendToChannel({ slug: 'hook', config: { kind: 'webhook', url: `${receiver.url}/slow` }, secret: 's' }, alertMessage(), {
      timeoutMs: 300,
    });
    expect(result).toEqual({ ok: false, statusCode: null, response: 'no answer within 300 ms', retryable: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    ['webhook', { kind: 'webhook' as const, url: 'http://169.254.169.254/latest/meta-data/' }, 'whsec'],
    ['alertmanager', { kind: 'alertmanager' as const, url: 'http://169.254.169.254/' }, null],
    ['pagerduty', { kind: 'pagerduty' as const, url: 'http://169.254.169.254/v2/enqueue' }, 'key'],
    ['slack', { kind: 'slack' as const }, 'http://169.254.169.254/services/T/B/X'],
  ])('%s at 169.254.169.254 is refused by the guard, for good', async (_kind, config, secret) => {
    const before = receiver.requests.length;
    const result = await sendToChannel({ slug: 'metadata', config, secret }, alertMessage());
    expect(result).toMatchObject({ ok: false, statusCode: null, retryable: false });
    expect(result.response).toContain('169.254.169.254 is a link-local or cloud-metadata address');
    expect(receiver.requests.length).toBe(before);
  });

  it('a refused connection may pass later', async () => {
    const closed = await startReceiver();
    const url = closed.url;
    await closed.close();
    expect(await sendToChannel({ slug: 'hook', config: { kind: 'webhook', url }, secret: 's' }, alertMessage())).toMatchObject({
      ok: false,
      statusCode: null,
      retryable: true,
    });
  });
});
