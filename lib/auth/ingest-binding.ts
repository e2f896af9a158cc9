/**
 * What an ingest token may feed: pure rules, no I/O. A point counts toward an SLO only if the token that sent it
 * may feed that SLO: the SLO's service is owned by one of the token's teams (a token without teams: any team, an
 * admin's choice), and, when the token is pinned to service.name values, the point's resource carries one of them.
 * The binding is worked out once per token check (and cached with it), so ingest asks only set lookups per SLO.
 */
import { principalOf, type TokenActor } from './permissions';

export interface IngestBinding {
  tokenId: string;
  tokenName: string;
  /** Teams whose services' SLOs it may feed; 'all': any. */
  teams: 'all' | ReadonlySet<string>;
  /** The resource service.name values it may send; null: any. */
  serviceNames: ReadonlySet<string> | null;
  /**
   * Part of every series' identity: '' for tokens that may feed any team (series as before bindings existed),
   * else their teams. Tokens that may feed different SLOs never share a series' state, so one cannot move another
   * team's counts by rewriting a cumulative series both send; tokens with the same teams may (a replaced token,
   * two collectors) and keep counting each series once.
   */
  seriesKey: string;
}

/** The SLO a point would count toward, as a refusal names it. */
export interface FedSlo {
  team: string;
  service: string;
  slo: string;
}

/** The resource attribute pins are matched against. */
export const SERVICE_NAME = 'service.name';

/** The binding of a token that passed the ingest check: a personal token feeds as its owner may (their teams; admins any). */
export function ingestBindingOf(
  actor: Pick<TokenActor, 'id' | 'name' | 'tokenKind' | 'scopes' | 'teams' | 'owner'> & { serviceNames?: readonly string[] },
): IngestBinding {
  const { teams } = principalOf({ kind: 'token', ...actor });
  const pins = actor.serviceNames ?? [];
  return {
    tokenId: actor.id,
    tokenName: actor.name,
    teams: teams === 'all' ? 'all' : new Set(teams),
    serviceNames: pins.length === 0 ? null : new Set(pins),
    seriesKey: teams === 'all' ? '' : [...teams].sort().join('\u0001'),
  };
}

/** Whether the binding narrows anything: a token with no teams and no pins feeds every SLO, as before. */
export function isRestricted(binding: IngestBinding): boolean {
  return binding.teams !== 'all' || binding.serviceNames !== null;
}

const MAX_QUOTED = 100;
const quote = (value: string) => JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value);
const list = (values: ReadonlySet<string>) => `[${[...values].sort().map(quote).join(', ')}]`;

/** Whether points from a resource with this service.name may be taken at all (for any SLO, and for the catalogue). */
export function resourceAllowed(binding: IngestBinding, serviceName: string | undefined): boolean {
  return binding.serviceNames === null || (serviceName !== undefined && binding.serviceNames.has(serviceName));
}

/**
 * null when the token may feed `slo` with points from a resource carrying `serviceName`; else why not, naming the
 * token (never its value), the SLO and the rule: the OTLP partial-success answer and the log carry it as is.
 */
export function feedRefusal(binding: IngestBinding, slo: FedSlo, serviceName: string | undefined): string | null {
  const who = () => `token ${quote(binding.tokenName)} may not feed SLO ${slo.service}/${slo.slo}`;
  if (!resourceAllowed(binding, serviceName)) {
    const pins = list(binding.serviceNames!);
    return serviceName === undefined
      ? `${who()} (the resource has no ${SERVICE_NAME}; the token is pinned to ${pins})`
      : `${who()} (${SERVICE_NAME} ${quote(serviceName)} not in ${pins})`;
  }
  if (binding.teams !== 'all' && !binding.teams.has(slo.team)) return `${who()} (team ${quote(slo.team)} not in ${list(binding.teams)})`;
  return null;
}
