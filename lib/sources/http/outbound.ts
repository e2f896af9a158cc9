import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { Readable } from 'node:stream';
import { startBackendRequest } from '../../telemetry/backend-request';

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

/** IPv4-mapped IPv6 (::ffff:169.254.169.254) is checked as the IPv4 address it is. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/** Why an address may not be reached, or null when it may. */
export function blockedAddressReason(address: string): string | null {
  const { address: plain, family } = unmapped(address);
  if (BLOCKED.check(plain, family)) return `${address} is a link-local or cloud-metadata address`;
  return null;
}

function allowListMatches(policy: OutboundPolicy, hostname: string, address?: string): boolean {
  if (!policy.allowedHosts) return true;
  for (const entry of policy.allowedHosts) {
    const [base, bits] = entry.split('/');
    if (!base) continue;
    if (bits !== undefined && address && isIP(base)) {
      const list = new BlockList();
      const family = isIP(base) === 6 ? 'ipv6' : 'ipv4';
      list.addSubnet(base, Number(bits), family);
      const target = unmapped(address);
      if (target.family === family && list.check(target.address, family)) return true;
    } else if (base.toLowerCase() === hostname.toLowerCase() || (address && base === address)) {
      return true;
    }
  }
  return false;
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
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
  const host = stripBrackets(url.hostname);
  if (METADATA_NAMES.has(host.toLowerCase())) return `${host} is a cloud-metadata endpoint`;
  if (isIP(host)) {
    const reason = blockedAddressReason(host);
    if (reason) return reason;
  }
  if (!allowListMatches(policy, host, isIP(host) ? host : undefined)) return `${host} is not in the allowed hosts (UMPIRE_DATASOURCE_ALLOWED_HOSTS)`;
  return null;
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
export function outboundFetch(policy: OutboundPolicy, labels: { datasource?: string } = {}): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const problem = outboundUrlProblem(url.toString(), policy);
    if (problem) throw new OutboundBlockedError(`Refused to connect: ${problem}`);
    const headers = new Headers(init.headers);
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    if (body !== undefined && !headers.has('content-length')) headers.set('content-length', String(Buffer.byteLength(body)));
    const transport = url.protocol === 'https:' ? https : http;
    const method = init.method ?? 'GET';
    const end = startBackendRequest({ url, method, body, contentType: headers.get('content-type'), datasource: labels.datasource ?? url.host });
    return new Promise<Response>((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method,
          headers: Object.fromEntries(headers),
          lookup: guardedLookup(policy, stripBrackets(url.hostname)) as never,
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
export function outboundPolicyFromEnv(value = process.env.UMPIRE_DATASOURCE_ALLOWED_HOSTS): OutboundPolicy {
  const hosts = (value ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  return { allowedHosts: hosts.length > 0 ? hosts : null };
}
