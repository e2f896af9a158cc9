import { describe, expect, test } from 'vitest';
import { ChannelInput, ChannelPatch, type Channel } from '@/lib/schemas';
import { channelBodyOf, channelDraftOf, PAGERDUTY_URL } from './channel-draft';

const stored: Channel = {
  slug: 'ops-hook',
  name: 'Ops hook',
  kind: 'webhook',
  config: { kind: 'webhook', url: 'https://hooks.example.com/umpire' },
  hasSecret: true,
  createdBy: 'ada',
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
};

describe('channelBodyOf', () => {
  test('a new webhook channel is a ChannelInput with its secret', () => {
    const body = channelBodyOf({ ...channelDraftOf(), name: 'Ops', slug: 'ops', url: ' https://h.example.com/x ', secret: 's3cret' });
    expect(ChannelInput.parse(body)).toEqual({ slug: 'ops', name: 'Ops', config: { kind: 'webhook', url: 'https://h.example.com/x' }, secret: 's3cret' });
  });

  test('PagerDuty without a URL uses PagerDuty’s own endpoint', () => {
    const body = channelBodyOf({ ...channelDraftOf(), name: 'PD', slug: 'pd', kind: 'pagerduty', secret: 'key' });
    expect(ChannelInput.parse(body).config).toEqual({ kind: 'pagerduty', url: PAGERDUTY_URL });
  });

  test('e-mail: the port is a number and the recipients a list', () => {
    const draft = {
      ...channelDraftOf(),
      name: 'Mail',
      slug: 'mail',
      kind: 'email' as const,
      host: 'smtp.example.com',
      port: '465',
      secure: true,
      from: 'u@example.com',
      to: 'a@example.com, b@example.com',
    };
    expect(ChannelInput.parse(channelBodyOf(draft)).config).toEqual({
      kind: 'email',
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      from: 'u@example.com',
      to: ['a@example.com', 'b@example.com'],
    });
  });

  test.each([
    ['nothing changed: an empty patch (the schema refuses it)', {}, {}],
    ['an empty secret keeps the stored one: only the name is sent', { name: 'Ops hook (prod)' }, { name: 'Ops hook (prod)' }],
    ['a typed secret replaces it', { secret: 'new' }, { secret: 'new' }],
    ['a new URL sends the whole config', { url: 'https://other.example.com/' }, { config: { kind: 'webhook', url: 'https://other.example.com/' } }],
  ])('edit: %s', (_, change, want) => {
    expect(channelBodyOf({ ...channelDraftOf(stored), ...change }, stored)).toEqual(want);
  });

  test('an edit draft starts with the secret empty and the stored settings filled in', () => {
    expect(channelDraftOf(stored)).toMatchObject({ name: 'Ops hook', slug: 'ops-hook', kind: 'webhook', url: 'https://hooks.example.com/umpire', secret: '' });
    expect(ChannelPatch.safeParse(channelBodyOf(channelDraftOf(stored), stored)).success).toBe(false);
  });
});
