import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { Readable } from 'node:stream';
import { startBackendRequest } from '../../telemetry/backend-request';
import { env } from '../../env';

/**
 * Requests Umpire makes on a user's behalf (data-source URLs) must not reach link-local or cloud-metadata
 * addresses, whatever the URL spells or its name resolves to; an operator may further allow only some hosts.
 */
export interface OutboundPolicy {
  /** Hostnames, IPs or CIDRs; when set, only these may be reached. From UMPIRE_DATASOURCE_ALLOWED_HOSTS. */
  allowedHosts: string[] | null;
}

const BLOCKED = new BlockList();
BLOCKED.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, incl. AWS/GCP/Azure metadata 169.254.169.254
BLOCKED.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network": 0.0.0.0 reaches local services on Linux
BLOCKED.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
BLOCKED.addSubnet('fe80::', 10, 'ipv6'); // link-local
BLOCKED.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6
BLOCKED.addAddress('::', 'ipv6');

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

export class OutboundBlockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundBlockedError';
  }
}

/**
 * A hostname as DNS and the checks see it: no IPv6 brackets, lower case, no trailing dots. "metadata.google.internal."
 * is the same fully-qualified name as "metadata.google.internal" and resolves to the same address.
 */
export function normalizeHost(hostname: string): string {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return bare.toLowerCase().replace(/\.+$/, '');
}

/** The eight 16-bit groups of an IPv6 address (with or without a dotted IPv4 tail), or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 ? groups : null;
}

/**
 * The IPv4 address an IPv6 address carries and may reach: IPv4-mapped (::ffff:a.b.c.d), IPv4-translated
 * (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and the deprecated IPv4-compatible form (::a.b.c.d, but :: and ::1).
 */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const carries =
    (zeros(0, 5) && g[5] === 0xffff) || // ::ffff:0:0/96
    (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) || // ::ffff:0:0:0/96
    (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) || // 64:ff9b::/96
    (zeros(0, 6) && (g[6]! > 0 || g[7]! > 1)); // ::/96 but :: and ::1
  if (!carries) return null;
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
}

/** Why an address may not be reached, or null when it may. IPv6 forms carrying an IPv4 address are checked as it too. */
export function blockedAddressReason(address: string): string | null {
  const plain = normalizeHost(address);
  const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
  if (isIP(plain) === 0) return null;
  const v4 = family === 'ipv6' ? embeddedIpv4(plain) : null;
  if (BLOCKED.check(plain, family) || (v4 !== null && BLOCKED.check(v4, 'ipv4'))) return `${address} is a link-local or cloud-metadata address`;
  return null;
}

/** An address as the allowlist compares it: an IPv4-mapped IPv6 address as the IPv4 address it is. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const plain = normalizeHost(address);
  if (isIP(plain) !== 6) return { address: plain, family: 'ipv4' };
  const g = ipv6Groups(plain);
  const v4 = g && g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff ? embeddedIpv4(plain) : null;
  return v4 ? { address: v4, family: 'ipv4' } : { address: plain, family: 'ipv6' };
}

function allowListMatches(policy: OutboundPolicy, hostname: string, address?: string): boolean {
  if (!policy.allowedHosts) return true;
  const host = normalizeHost(hostname);
  for (const entry of policy.allowedHosts) {
    const [base, bits] = entry.split('/');
    if (!base) continue;
    if (bits !== undefined && address && isIP(base)) {
      const list = new BlockList();
      const family = isIP(base) === 6 ? 'ipv6' : 'ipv4';
      list.addSubnet(base, Number(bits), family);
      const target = unmapped(address);
      if (target.family === family && list.check(target.address, family)) return true;
    } else if (normalizeHost(base) === host || (address && normalizeHost(base) === normalizeHost(address))) {
      return true;
    }
  }
  return false;
}

/** Checks a data-source URL before it is saved or used: scheme, credentials in the URL, metadata names, IPs, allowlist. */
export function outboundUrlProblem(raw: string, policy: OutboundPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not contain credentials; use the auth settings';
  // Checked as DNS will see it: "METADATA.GOOGLE.INTERNAL." is the metadata server too.
  const host = normalizeHost(url.hostname);
  if (METADATA_NAMES.has(host)) return `${url.hostname} is a cloud-metadata endpoint`;
  if (isIP(host)) {
    const reason = blockedAddressReason(host);
    if (reason) return reason;
  }
  if (!allowListMatches(policy, host, isIP(host) ? host : undefined)) return `${host} is not in the allowed hosts (UMPIRE_DATASOURCE_ALLOWED_HOSTS)`;
  return null;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * Whether stored credentials may go to `to` as they went to `from`: the same scheme, host and port (however
 * spelled). A different path on the same server keeps them; another host must be given them again.
 */
export function sameOrigin(from: string, to: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(from);
    b = new URL(to);
  } catch {
    return false;
  }
  const port = (u: URL) => u.port || DEFAULT_PORTS[u.protocol] || '';
  return a.protocol === b.protocol && normalizeHost(a.hostname) === normalizeHost(b.hostname) && port(a) === port(b);
}

/** A DNS lookup that refuses names resolving to a blocked address, so rebinding cannot get around the URL check. */
function guardedLookup(policy: OutboundPolicy, hostname: string) {
  return (
    name: string,
    options: { all?: boolean; family?: number | string },
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(name, { ...options, all: true } as { all: true }, (error, addresses) => {
      if (error) return callback(error, options.all ? [] : '', undefined);
      for (const entry of addresses) {
        const reason = blockedAddressReason(entry.address);
        if (reason) return callback(new OutboundBlockedError(`${hostname} resolves to ${reason}`), options.all ? [] : '', undefined);
        if (!allowListMatches(policy, hostname, entry.address)) {
          return callback(new OutboundBlockedError(`${hostname} is not in the allowed hosts`), options.all ? [] : '', undefined);
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }), '', undefined);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * fetch() for data-source requests: checks the URL, checks every address a name resolves to at connect time,
 * and never follows redirects (a 3xx comes back as it is). Each request is a CLIENT span and a point of
 * umpire.backend.request.duration, labelled with `datasource` (the slug, when the caller passes it).
 */
export function outboundFetch(policy: OutboundPolicy, labels: { datasource?: string; secretPath?: boolean } = {}): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const problem = outboundUrlProblem(url.toString(), policy);
    if (problem) throw new OutboundBlockedError(`Refused to connect: ${problem}`);
    const headers = new Headers(init.headers);
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    if (body !== undefined && !headers.has('content-length')) headers.set('content-length', String(Buffer.byteLength(body)));
    const transport = url.protocol === 'https:' ? https : http;
    const method = init.method ?? 'GET';
    const end = startBackendRequest({
      url,
      method,
      body,
      contentType: headers.get('content-type'),
      datasource: labels.datasource ?? url.host,
      secretPath: labels.secretPath,
    });
    return new Promise<Response>((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method,
          headers: Object.fromEntries(headers),
          lookup: guardedLookup(policy, normalizeHost(url.hostname)) as never,
          signal: init.signal ?? undefined,
          agent: false,
        },
        (response) => {
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(response.headers)) {
            if (Array.isArray(value)) value.forEach((v) => responseHeaders.append(key, v));
            else if (value !== undefined) responseHeaders.set(key, value);
          }
          const status = response.statusCode ?? 502;
          const stream = status === 204 || status === 304 ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
          // The span lasts until the body has been read (or cut off), not just until the headers came.
          // A timeout that cuts the body off counts as a timeout, not as an answer.
          const ended = () => (!response.complete && init.signal?.aborted ? { error: init.signal.reason } : { status, aborted: !response.complete });
          if (stream) response.once('close', () => end(ended()));
          else end({ status });
          resolve(new Response(stream, { status, statusText: response.statusMessage, headers: responseHeaders }));
        },
      );
      request.on('error', (error) => {
        end({ error });
        reject(error);
      });
      if (body !== undefined) request.write(body);
      request.end();
    });
  }) as typeof fetch;
}

/** The operator's allowlist from the environment: comma-separated hosts, IPs or CIDRs. */
export function outboundPolicyFromEnv(value = env().UMPIRE_DATASOURCE_ALLOWED_HOSTS): OutboundPolicy {
  const hosts = (value ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  return { allowedHosts: hosts.length > 0 ? hosts : null };
}
