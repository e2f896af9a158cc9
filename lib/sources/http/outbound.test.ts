import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { blockedAddressReason, normalizeHost, outboundFetch, outboundPolicyFromEnv, outboundUrlProblem, sameOrigin } from './outbound';

const open = { allowedHosts: null };

describe('outboundUrlProblem', () => {
  test.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]:9090/',
    'http://[fd00:ec2::254]/',
    'http://[::ffff:169.254.169.254]/',
    'http://2852039166/', // 169.254.169.254 as one decimal number
    'http://0xa9fea9fe/', // and in hex
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://100.100.100.200/',
    'http://0.0.0.0:9090/',
    'ftp://prometheus:9090/',
    'file:///etc/passwd',
    'http://user:secret@prometheus:9090/',
    'not a url',
  ])('refuses %s', (url) => expect(outboundUrlProblem(url, open)).not.toBeNull());

  test.each(['http://prometheus:9090', 'https://mimir.example.com/prometheus', 'http://127.0.0.1:9090', 'http://10.1.2.3:9090', 'http://[::1]:9090'])(
    'allows %s when no allowlist is set',
    (url) => expect(outboundUrlProblem(url, open)).toBeNull(),
  );

  test('an allowlist admits only its hosts, IPs and CIDRs', () => {
    const policy = outboundPolicyFromEnv('prometheus.internal, 10.0.0.0/8 ,127.0.0.1');
    expect(policy.allowedHosts).toEqual(['prometheus.internal', '10.0.0.0/8', '127.0.0.1']);
    expect(outboundUrlProblem('http://prometheus.internal:9090', policy)).toBeNull();
    expect(outboundUrlProblem('http://10.20.30.40:9090', policy)).toBeNull();
    expect(outboundUrlProblem('http://127.0.0.1:9090', policy)).toBeNull();
    expect(outboundUrlProblem('http://192.168.1.1:9090', policy)).toContain('not in the allowed hosts');
    expect(outboundUrlProblem('http://evil.example.com', policy)).toContain('not in the allowed hosts');
    // The allowlist never admits what is blocked outright.
    expect(outboundUrlProblem('http://169.254.169.254', outboundPolicyFromEnv('169.254.0.0/16'))).toContain('metadata');
  });

  test('blockedAddressReason knows mapped IPv6 forms', () => {
    expect(blockedAddressReason('::ffff:169.254.169.254')).not.toBeNull();
    expect(blockedAddressReason('127.0.0.1')).toBeNull();
  });

  // Other spellings of the same metadata host: a trailing dot is the same fully-qualified name to DNS, and an IPv6
  // address can carry the IPv4 one.
  test.each([
    ['http://metadata.google.internal./computeMetadata/v1/', 'cloud-metadata endpoint'],
    ['http://METADATA.GOOGLE.INTERNAL./', 'cloud-metadata endpoint'],
    ['http://Metadata.Google.Internal/', 'cloud-metadata endpoint'],
    ['http://metadata.google.internal../', 'cloud-metadata endpoint'],
    ['http://metadata.google.internal.:80/', 'cloud-metadata endpoint'],
    ['http://metadata%2Egoogle%2Einternal/', 'cloud-metadata endpoint'],
    ['http://metadata\u3002google\u3002internal/', 'cloud-metadata endpoint'], // ideographic full stops
    ['http://metadata./', 'cloud-metadata endpoint'],
    ['http://metadata.goog./', 'cloud-metadata endpoint'],
    ['http://INSTANCE-DATA.EC2.INTERNAL./', 'cloud-metadata endpoint'],
    ['http://169.254.169.254./', 'link-local'],
    ['http://0251.0376.0251.0376/', 'link-local'], // octal
    ['http://169.254.43518/', 'link-local'], // a.b.c with c 16 bits
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[::FFFF:A9FE:A9FE]/', 'link-local'],
    ['http://[0:0:0:0:0:ffff:169.254.169.254]/', 'link-local'],
    ['http://[::ffff:0:169.254.169.254]/', 'link-local'], // IPv4-translated
    ['http://[64:ff9b::169.254.169.254]/', 'link-local'], // NAT64
    ['http://[::169.254.169.254]/', 'link-local'], // IPv4-compatible (deprecated)
    ['http://[::ffff:100.100.100.200]/', 'link-local'],
    ['http://[FE80::1]/', 'link-local'],
    ['http://[fd00:ec2:0:0:0:0:0:254]/', 'link-local'],
    ['http://[::ffff:0.0.0.0]/', 'link-local'],
  ])('refuses %s (%s)', (url, reason) => expect(outboundUrlProblem(url, open)).toContain(reason));

  test.each([
    'http://prometheus.:9090',
    'http://[::1]:9090',
    'http://[::ffff:127.0.0.1]:9090',
    'http://[64:ff9b::10.1.2.3]/',
    'http://metadata-proxy.internal/',
    'http://metadata.google.internal.example.com/',
  ])('still allows %s', (url) => expect(outboundUrlProblem(url, open)).toBeNull());

  test.each([
    ['metadata.google.internal.', 'metadata.google.internal'],
    ['METADATA.GOOGLE.INTERNAL..', 'metadata.google.internal'],
    ['[::FFFF:A9FE:A9FE]', '::ffff:a9fe:a9fe'],
    ['Prometheus.Monitoring', 'prometheus.monitoring'],
    ['10.0.0.1', '10.0.0.1'],
  ])('normalizeHost(%s) = %s', (host, want) => expect(normalizeHost(host)).toBe(want));

  test('an allowlist entry matches its host however the URL spells it, and never admits a metadata spelling', () => {
    const policy = outboundPolicyFromEnv('prometheus.internal,metadata.google.internal');
    expect(outboundUrlProblem('http://PROMETHEUS.internal.:9090', policy)).toBeNull();
    expect(outboundUrlProblem('http://metadata.google.internal./', policy)).toContain('cloud-metadata');
    expect(outboundUrlProblem('http://[::ffff:10.1.2.3]/', outboundPolicyFromEnv('10.0.0.0/8'))).toBeNull();
  });
});

describe('sameOrigin: whether stored credentials may follow a changed URL', () => {
  test.each([
    ['http://prometheus:9090', 'http://prometheus:9090/prometheus', true],
    ['http://prometheus:9090/a', 'http://PROMETHEUS:9090/b?x=1', true],
    ['http://prometheus.monitoring:9090', 'http://prometheus.monitoring.:9090', true],
    ['http://prometheus', 'http://prometheus:80', true],
    ['https://mimir.example.com', 'https://mimir.example.com:443/prometheus', true],
    ['http://[::1]:9090', 'http://[0:0:0:0:0:0:0:1]:9090', true],
    ['http://prometheus:9090', 'http://attacker.example:9090', false],
    ['http://prometheus:9090', 'http://prometheus:9091', false],
    ['http://prometheus:9090', 'https://prometheus:9090', false],
    ['https://mimir.example.com', 'http://mimir.example.com', false],
    ['https://mimir.example.com', 'https://mimir.example.com.attacker.example', false],
    ['http://10.0.0.1:9090', 'http://10.0.0.2:9090', false],
    ['http://prometheus:9090', 'not a url', false],
  ])('%s -> %s: %s', (from, to, same) => expect(sameOrigin(from, to)).toBe(same));
});

describe('outboundFetch', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/' });
        res.end();
        return;
      }
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('sends method, headers and body to an allowed host', async () => {
    const response = await outboundFetch(open)(`http://127.0.0.1:${port}/api`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=up',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ method: 'POST', body: 'query=up', auth: 'Bearer t' });
  });

  test('resolves names and checks what they resolve to', async () => {
    const response = await outboundFetch(open)(`http://localhost:${port}/api`);
    expect(response.status).toBe(200);
    await expect(outboundFetch({ allowedHosts: ['127.0.0.1'] })(`http://localhost:${port}/api`)).rejects.toThrow(/not in the allowed hosts/);
  });

  test('does not follow redirects', async () => {
    const response = await outboundFetch(open)(`http://127.0.0.1:${port}/redirect`);
    expect(response.status).toBe(302);
  });

  test('refuses a metadata address before connecting', async () => {
    await expect(outboundFetch(open)('http://169.254.169.254/latest/meta-data/')).rejects.toThrow(/metadata/);
    await expect(outboundFetch(open)('http://metadata.google.internal./computeMetadata/v1/')).rejects.toThrow(/metadata/);
  });
});
