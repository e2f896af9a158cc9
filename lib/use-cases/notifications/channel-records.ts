import { encryptSecret } from '../../crypto/secrets';
import { findChannelBySlug } from '../../db/notification-channels';
import type { NotificationChannel as ChannelRow } from '../../db/generated/client';
import { NotFoundError, UnprocessableError } from '../../errors';
import { adapters } from '../../notify/registry';
import type { ChannelAdapter } from '../../notify/types';
import { ChannelConfig, type Channel, type ChannelKind } from '../../schemas/index';
import { outboundPolicyFromEnv, outboundUrlProblem, sameOrigin } from '../../sources/http/outbound';

/** Kinds whose secret is what lets them deliver at all: the routing key, the webhook URL, the signing secret. */
export const SECRET_REQUIRED: ReadonlySet<ChannelKind> = new Set(['pagerduty', 'slack', 'webhook']);

const SECRET_NAME: Record<ChannelKind, string> = {
  alertmanager: 'basic-auth password',
  pagerduty: 'routing key',
  slack: 'webhook URL',
  webhook: 'signing secret',
  email: 'SMTP password',
};

export function channelConfigOf(row: Pick<ChannelRow, 'config' | 'kind'>): ChannelConfig {
  return ChannelConfig.parse({ ...(row.config as Record<string, unknown>), kind: row.kind });
}

/** A channel as the API shows it: never its secret, only whether it has one. */
export function toChannel(row: ChannelRow): Channel {
  const config = channelConfigOf(row);
  return {
    slug: row.slug,
    name: row.name,
    kind: config.kind,
    config,
    hasSecret: row.secret !== null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** How the audit trail names a channel. */
export function channelTarget(row: Pick<ChannelRow, 'id' | 'slug'>): { type: 'channel'; id: string; name: string } {
  return { type: 'channel', id: row.id, name: row.slug };
}

export async function findChannelRow(slug: string): Promise<ChannelRow> {
  const row = await findChannelBySlug(slug);
  if (!row) throw new NotFoundError(`Channel "${slug}" does not exist`);
  return row;
}

/** The address the channel's settings send to, for the outbound guard and for "does the secret follow it". */
function destinationOf(config: ChannelConfig): { field: string; url: string } | null {
  switch (config.kind) {
    case 'alertmanager':
    case 'pagerduty':
    case 'webhook':
      return { field: 'config.url', url: config.url };
    case 'email':
      // SMTP is not HTTP, but the guard's questions (metadata names, link-local and private addresses, the allowlist) are the same.
      return { field: 'config.host', url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}/` };
    case 'slack':
      return null;
  }
}

/**
 * Field errors for a channel about to be saved: every address it sends to passes the outbound guard (a Slack
 * channel's is its secret), the kinds that need a secret have one, and the kind's adapter accepts it.
 */
export function channelProblems(config: ChannelConfig, secret: { given: string | undefined; stored: boolean }): Record<string, string> {
  const policy = outboundPolicyFromEnv();
  const fields: Record<string, string> = {};
  const destination = destinationOf(config);
  if (destination) {
    const problem = outboundUrlProblem(destination.url, policy);
    if (problem) fields[destination.field] = problem;
  }
  if (config.kind === 'slack' && secret.given !== undefined) {
    const problem = outboundUrlProblem(secret.given, policy);
    if (problem) fields.secret = `the Slack webhook URL ${problem}`;
  }
  if (SECRET_REQUIRED.has(config.kind) && secret.given === undefined && !secret.stored) fields.secret = `is required: the ${SECRET_NAME[config.kind]}`;
  const adapter = adapters[config.kind] as ChannelAdapter | undefined;
  if (adapter && secret.given !== undefined) Object.assign(fields, adapter.validate(config as never, secret.given));
  return fields;
}

export function assertChannelAllowed(config: ChannelConfig, secret: { given: string | undefined; stored: boolean }): void {
  const fields = channelProblems(config, secret);
  if (Object.keys(fields).length === 0) return;
  const summary = Object.entries(fields)
    .map(([field, message]) => `${field} ${message}`)
    .join('; ');
  throw new UnprocessableError(`The channel cannot be saved: ${summary}`, fields);
}

/**
 * A stored secret was given for one receiver and one kind: settings that send elsewhere (another scheme, host or
 * port; another SMTP server) or make it mean something else (another kind) must come with the secret again.
 */
export function assertSecretMayFollow(current: ChannelConfig, next: ChannelConfig, hasStoredSecret: boolean, secretGiven: boolean): void {
  if (!hasStoredSecret || secretGiven) return;
  if (current.kind !== next.kind) {
    throw new UnprocessableError(
      `The channel changes from ${current.kind} to ${next.kind}: send its secret again (the stored one was given for a ${current.kind} channel)`,
      {
        secret: `must be sent again: the ${next.kind} channel needs its ${SECRET_NAME[next.kind]}`,
      },
    );
  }
  const from = destinationOf(current);
  const to = destinationOf(next);
  if (!from || !to || sameOrigin(from.url, to.url)) return;
  const a = new URL(from.url);
  const b = new URL(to.url);
  throw new UnprocessableError(
    `The channel moves from ${a.protocol}//${a.host} to ${b.protocol}//${b.host}: send its secret again; the stored one is only ever sent to the receiver it was given for`,
    { secret: 'must be sent again: the new receiver needs the secret again' },
  );
}

/** The secret, encrypted; a server without UMPIRE_SECRET_KEY cannot store one. */
export function encryptChannelSecret(secret: string): string {
  try {
    return encryptSecret(secret);
  } catch (error) {
    throw new UnprocessableError(error instanceof Error ? error.message : String(error), { secret: 'cannot be stored without UMPIRE_SECRET_KEY' });
  }
}
