import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { blockedAddressReason, outboundPolicyFromEnv, outboundUrlProblem, type OutboundPolicy } from '../../sources/http/outbound';
import { failureResult, fieldError, redact, refused } from '../deliver';
import { actionTag, messageFigures } from '../figures';
import { escapeHtml, safeHref } from '../text';
import type { AlertMessage, ChannelAdapter, DeliveryResult } from '../types';

/** What the adapter hands nodemailer for one message (the envelope and both bodies). */
export const EmailContent = z.strictObject({
  from: z.email(),
  to: z.array(z.email()).min(1),
  subject: z
    .string()
    .min(1)
    .max(998)
    .regex(/^[^\r\n]*$/, 'must be one line'),
  text: z.string().min(1),
  html: z.string().min(1),
  headers: z.record(z.string(), z.string()),
});
export type EmailContent = z.infer<typeof EmailContent>;

/** "[PAGE] checkout-api/availability burns its budget 14.4x (page)", "[RESOLVED] …": one line, whatever the summary holds. */
export function emailSubject(message: AlertMessage): string {
  return `${actionTag(message)} ${message.summary}`.replace(/[\r\n]+/g, ' ').slice(0, 250);
}

function messageLinks(message: AlertMessage): { label: string; href: string }[] {
  const links = [
    { label: 'SLO in Umpire', href: safeHref(message.links.slo) },
    { label: 'Runbook', href: safeHref(message.links.runbook) },
    { label: 'Dashboard', href: safeHref(message.links.dashboard) },
  ];
  return links.filter((l): l is { label: string; href: string } => l.href !== null);
}

export function emailContent(message: AlertMessage, from: string, to: string[]): EmailContent {
  const figures = messageFigures(message);
  const links = messageLinks(message);
  const { service, slo } = message;
  const footer = `${service.name} / ${slo.name} · team ${service.team} · as of ${message.figures.asOf}`;
  const text = [
    message.summary,
    '',
    message.description,
    '',
    ...figures.map((f) => `${f.label}: ${f.value}`),
    '',
    ...links.map((l) => `${l.label}: ${l.href}`),
    '',
    footer,
    '',
  ].join('\n');
  const cell = 'padding:4px 12px 4px 0;vertical-align:top';
  const html = [
    '<!doctype html>',
    '<html><body style="font-family:system-ui,sans-serif;color:#1a1a1a">',
    `<h2 style="margin:0 0 8px">${escapeHtml(actionTag(message))} ${escapeHtml(service.name)} / ${escapeHtml(slo.name)}</h2>`,
    `<p><strong>${escapeHtml(message.summary)}</strong></p>`,
    `<p>${escapeHtml(message.description)}</p>`,
    '<table style="border-collapse:collapse">',
    ...figures.map((f) => `<tr><th style="${cell};text-align:left">${escapeHtml(f.label)}</th><td style="${cell}">${escapeHtml(f.value)}</td></tr>`),
    '</table>',
    `<p>${links.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>`).join(' · ')}</p>`,
    `<p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { from, to, subject: emailSubject(message), text, html, headers: { 'X-Umpire-Idempotency-Key': message.idempotencyKey } };
}

/**
 * Where to connect for an SMTP host, under the same rules as every outbound URL (lib/sources/http/outbound.ts): no
 * metadata names, no link-local or metadata addresses however the name resolves, the operator's allowlist (by name or
 * by the addresses it resolves to). The caller connects to the returned address, so DNS cannot answer differently later.
 */
export async function smtpAddress(host: string, port: number, policy: OutboundPolicy): Promise<{ address: string } | { refused: string }> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const asUrl = (h: string) => `http://${isIP(h) === 6 ? `[${h}]` : h}:${port}/`;
  const problem = outboundUrlProblem(asUrl(bare), { allowedHosts: null });
  if (problem) return { refused: `Refused to connect: ${problem}` };
  const addresses = isIP(bare) ? [bare] : (await lookup(bare, { all: true })).map((a) => a.address);
  for (const address of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) return { refused: `Refused to connect: ${bare} resolves to ${reason}` };
  }
  const allowed = outboundUrlProblem(asUrl(bare), policy) === null || addresses.every((a) => outboundUrlProblem(asUrl(a), policy) === null);
  if (!allowed) return { refused: `Refused to connect: ${bare} is not in the allowed hosts (UMPIRE_DATASOURCE_ALLOWED_HOSTS)` };
  const first = addresses[0];
  return first ? { address: first } : { refused: `${bare} did not resolve` };
}

/** RFC 5321: a 4yz reply is transient, a 5yz permanent, but 503 (bad sequence of commands), which a new session may pass. */
export function retryableSmtpCode(code: number): boolean {
  return code < 500 || code === 503;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
}

export function smtpFailure(error: unknown, secret: string | null, timeoutMs: number): DeliveryResult {
  const e = (error ?? {}) as SmtpError;
  if (typeof e.responseCode === 'number') {
    const text = e.response ?? (error instanceof Error ? error.message : String(error));
    return { ok: false, statusCode: e.responseCode, response: redact(text, [secret]), retryable: retryableSmtpCode(e.responseCode) };
  }
  if (e.code === 'EABORT' || e.code === 'ETIMEDOUT') return { ok: false, statusCode: null, response: `no answer within ${timeoutMs} ms`, retryable: true };
  // Without a reply: the server could not be reached, or the configuration (no recipients, no credentials) is wrong.
  if (e.code === 'EENVELOPE' || e.code === 'ECONFIG' || e.code === 'EAUTH') {
    return { ok: false, statusCode: null, response: redact(error instanceof Error ? error.message : String(error), [secret]), retryable: false };
  }
  return failureResult(error, [secret], timeoutMs);
}

export const emailAdapter: ChannelAdapter<'email'> = {
  kind: 'email',
  validate(config) {
    const host = config.host.startsWith('[') ? config.host : isIP(config.host) === 6 ? `[${config.host}]` : config.host;
    return fieldError('config.host', outboundUrlProblem(`http://${host}:${config.port}/`, outboundPolicyFromEnv()));
  },
  async send(message, channel, deps) {
    const { host, port, secure, username, from, to } = channel.config;
    let target: Awaited<ReturnType<typeof smtpAddress>>;
    try {
      target = await smtpAddress(host, port, outboundPolicyFromEnv());
    } catch (error) {
      return failureResult(error, [channel.secret], deps.timeoutMs);
    }
    if ('refused' in target) return refused(target.refused);
    const transport = createTransport({
      host: target.address,
      port: port,
      secure,
      // TLS checks the certificate against the name configured, not the address connected to.
      tls: isIP(host) ? {} : { servername: host },
      auth: username || channel.secret ? { user: username ?? '', pass: channel.secret ?? '' } : undefined,
      connectionTimeout: deps.timeoutMs,
      greetingTimeout: deps.timeoutMs,
      socketTimeout: deps.timeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const info = await transport.sendMail({ ...emailContent(message, from, to), signal: AbortSignal.timeout(deps.timeoutMs) });
      const code = Number.parseInt(info.response, 10);
      const rejected = info.rejected.length > 0 ? ` (rejected: ${info.rejected.join(', ')})` : '';
      return { ok: true, statusCode: Number.isFinite(code) ? code : null, response: redact(`${info.response}${rejected}`, [channel.secret]), retryable: false };
    } catch (error) {
      return smtpFailure(error, channel.secret, deps.timeoutMs);
    } finally {
      transport.close();
    }
  },
};
