import { describe, expect, it } from 'vitest';
import { alertMessage } from '../message.fixture';
import { EmailContent, emailAdapter, emailContent, emailSubject, retryableSmtpCode, smtpAddress, smtpFailure } from './email';

describe('emailContent', () => {
  it('has a subject, a text and an HTML body with the figures and links', () => {
    const mail = EmailContent.parse(emailContent(alertMessage(), 'umpire@example.com', ['oncall@example.com']));
    expect(mail.subject).toBe('[PAGE] checkout-api/availability burns its budget 14.4x (page)');
    expect(mail.text).toContain('Budget left: 42%');
    expect(mail.text).toContain('Runbook: https://runbooks.example.com/checkout');
    expect(mail.html).toContain('<a href="https://umpire.example.com/services/checkout-api/slos/availability">SLO in Umpire</a>');
    expect(mail.headers).toEqual({ 'X-Umpire-Idempotency-Key': 'evt-1:trigger:ops-pager' });
  });

  it.each([
    ['resolve', '[RESOLVED] '],
    ['test', '[TEST] '],
  ] as const)('a %s subject starts %s', (action, prefix) => expect(emailSubject(alertMessage({ action }))).toMatch(new RegExp(`^\\${prefix.trim()}`)));

  it('a ticket is tagged as one', () => expect(emailSubject(alertMessage({ event: { severity: 'ticket' } }))).toMatch(/^\[TICKET\] /));

  it('escapes a hostile SLO name everywhere in the HTML, keeps the subject on one line and drops a javascript: runbook', () => {
    const hostile = alertMessage({
      slo: { slug: 'availability', name: '<img src=x onerror="alert(1)">', objective: 0.999, labels: {} },
      service: { slug: 'checkout-api', name: 'Checkout & "Co"', team: "o'brien" },
      summary: 'burns\r\nBcc: victim@example.com',
      links: { slo: 'https://u.example/s?a=1&b="2"', runbook: 'javascript:alert(1)', dashboard: null },
    });
    const mail = EmailContent.parse(emailContent(hostile, 'umpire@example.com', ['oncall@example.com']));
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(mail.html).toContain('Checkout &amp; &quot;Co&quot;');
    expect(mail.html).toContain('o&#39;brien');
    expect(mail.html).toContain('href="https://u.example/s?a=1&amp;b=%222%22"');
    expect(mail.html).not.toContain('javascript:');
    expect(mail.text).not.toContain('javascript:');
    expect(mail.subject).toBe('[PAGE] burns Bcc: victim@example.com');
  });
});

describe('SMTP replies', () => {
  it.each([
    [421, true],
    [451, true],
    [503, true],
    [535, false],
    [550, false],
    [554, false],
  ])('%i -> retryable %s', (code, want) => expect(retryableSmtpCode(code)).toBe(want));

  it('maps an error with a reply code, hiding the password', () => {
    const error = Object.assign(new Error('Invalid login'), { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad credentials for hunter2' });
    expect(smtpFailure(error, 'hunter2', 1000)).toEqual({ ok: false, statusCode: 535, response: '535 5.7.8 bad credentials for [redacted]', retryable: false });
  });

  it('a connection that failed may pass later; a timeout says how long it waited', () => {
    expect(smtpFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }), null, 1000)).toMatchObject({ ok: false, retryable: true });
    expect(smtpFailure(Object.assign(new Error('aborted'), { code: 'EABORT' }), null, 1000)).toMatchObject({
      response: 'no answer within 1000 ms',
      retryable: true,
    });
  });
});

describe('smtpAddress (the outbound guard for SMTP)', () => {
  const open = { allowedHosts: null };
  it.each(['169.254.169.254', 'metadata.google.internal', '[fe80::1]', '::ffff:169.254.169.254', '0.0.0.0'])('refuses %s', async (host) => {
    expect(await smtpAddress(host, 25, open)).toMatchObject({ refused: expect.stringContaining('Refused to connect') });
  });

  it('connects to the address a name resolves to', async () => {
    expect(await smtpAddress('localhost', 25, open)).toMatchObject({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) });
  });

  it('applies the allowlist by name or by resolved address', async () => {
    expect(await smtpAddress('127.0.0.1', 25, { allowedHosts: ['smtp.example.com'] })).toHaveProperty('refused');
    expect(await smtpAddress('localhost', 25, { allowedHosts: ['localhost'] })).toHaveProperty('address');
    expect(await smtpAddress('localhost', 25, { allowedHosts: ['127.0.0.0/8', '::1'] })).toHaveProperty('address');
  });
});

describe('emailAdapter.validate', () => {
  const config = { kind: 'email' as const, host: 'smtp.example.com', port: 587, secure: false, from: 'umpire@example.com', to: ['oncall@example.com'] };
  it('reports a metadata host, passes an ordinary one', () => {
    expect(emailAdapter.validate({ ...config, host: '169.254.169.254' }, null)).toHaveProperty('config.host');
    expect(emailAdapter.validate({ ...config, host: 'metadata.google.internal' }, null)).toHaveProperty('config.host');
    expect(emailAdapter.validate({ ...config, host: 'fe80::1' }, null)).toHaveProperty('config.host');
    expect(emailAdapter.validate(config, null)).toEqual({});
  });
});
