import { describe, expect, it } from 'vitest';
import { alertMessage } from '../message.fixture';
import { SlackMessage, escapeSlack, slackAdapter, slackMessage } from './slack';

describe('slackMessage', () => {
  it('has a fallback text, a header, the figures and the links', () => {
    const message = SlackMessage.parse(slackMessage(alertMessage()));
    expect(message.text).toBe('[PAGE] checkout-api/availability burns its budget 14.4x (page)');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '[PAGE] checkout-api/availability' } });
    const json = JSON.stringify(message);
    expect(json).toContain('*SLI*\\n98.56');
    expect(json).toContain('*Budget left*\\n42%');
    expect(json).toContain('1h: 14.40×');
    expect(json).toContain('<https://umpire.example.com/services/checkout-api/slos/availability|SLO in Umpire>');
    expect(json).toContain('<https://runbooks.example.com/checkout|Runbook>');
  });

  it('a resolve says so', () => {
    expect(slackMessage(alertMessage({ action: 'resolve' })).text).toMatch(/^\[RESOLVED\] /);
  });

  it('escapes Slack’s control characters in user strings, so a name cannot mention @channel or forge a link', () => {
    const hostile = alertMessage({
      service: { slug: 'checkout-api', name: 'Checkout <!channel>', team: 'a & b' },
      slo: { slug: 'availability', name: '<https://evil.example|click me>', objective: 0.999, labels: {} },
      summary: 'checkout-api/availability <!here> burns',
      description: 'R&D > ops',
      links: { slo: 'https://u.example/s?a=1&b=2', runbook: 'https://r.example/x|<y>', dashboard: null },
    });
    const message = SlackMessage.parse(slackMessage(hostile));
    const json = JSON.stringify(message);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<https://evil.example');
    expect(json).toContain('Checkout &lt;!channel&gt;');
    expect(json).toContain('a &amp; b');
    expect(json).toContain('R&amp;D &gt; ops');
    expect(json).toContain('<https://u.example/s?a=1&amp;b=2|SLO in Umpire>');
    expect(json).toContain('<https://r.example/x%7C&lt;y&gt;|Runbook>');
  });

  it.each([
    ['a&b', 'a&amp;b'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['&lt;', '&amp;lt;'],
  ])('escapeSlack(%s) = %s', (text, want) => expect(escapeSlack(text)).toBe(want));
});

describe('slackAdapter', () => {
  it('validate() wants the webhook URL as the secret', () => {
    expect(slackAdapter.validate({ kind: 'slack' }, null)).toHaveProperty('secret');
    expect(slackAdapter.validate({ kind: 'slack' }, 'not a url')).toHaveProperty('secret');
    expect(slackAdapter.validate({ kind: 'slack' }, 'http://169.254.169.254/hook')).toHaveProperty('secret');
    expect(slackAdapter.validate({ kind: 'slack' }, 'https://hooks.slack.com/services/T000/B000/XXXX')).toEqual({});
  });

  it('posts to the secret URL and never shows it in the response', async () => {
    const secret = 'https://hooks.slack.com/services/T000/B000/XXXX';
    let called = '';
    const fetch = (async (url: string) => {
      called = url;
      return new Response(`no_service for /services/T000/B000/XXXX`, { status: 404 });
    }) as unknown as typeof globalThis.fetch;
    const result = await slackAdapter.send(alertMessage(), { slug: 's', config: { kind: 'slack' }, secret }, { fetch, timeoutMs: 100, now: () => new Date() });
    expect(called).toBe(secret);
    expect(result).toMatchObject({ ok: false, statusCode: 404, retryable: false });
    expect(result.response).not.toContain('XXXX');
  });
});
