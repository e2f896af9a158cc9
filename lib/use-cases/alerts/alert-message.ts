import { env } from '../../env';
import type { AlertEventRow } from '../../db/alert-events';
import type { AlertMessage } from '../../notify/types';
import type { AlertKind, NotificationAction, Severity, SloStatus } from '../../schemas/index';
import { ALERT_NAMES, formatBudget, formatBudgetSpent, formatBurnRate, formatObjective, formatSli, formatThreshold } from '../../slo/index';

export interface MessageSubject {
  service: { slug: string; name: string; ownerTeam: string; runbookUrl: string | null; dashboardUrl: string | null };
  slo: { slug: string; name: string; objective: number; labels: Record<string, string> };
}

/** Where notifications link back to: UMPIRE_PUBLIC_URL, or this server on its port. */
export function publicBase(): string {
  const configured = env().UMPIRE_PUBLIC_URL;
  return (configured ?? `http://localhost:${process.env.PORT ?? '3000'}`).replace(/\/+$/, '');
}

export function sloUrl(service: string, slo: string): string {
  return `${publicBase()}/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo)}`;
}

/** Stable per SLO, kind and severity: PagerDuty's dedup_key. */
export function groupKeyOf(service: string, slo: string, kind: AlertKind, severity: Severity): string {
  return `umpire/${service}/${slo}/${kind}/${severity}`;
}

/** The sentence a notification leads with, per kind. */
function sentences(event: AlertEventRow, status: SloStatus, action: NotificationAction, subject: MessageSubject): { summary: string; description: string } {
  const name = `${subject.service.slug}/${subject.slo.slug}`;
  const details = event.details as Record<string, unknown>;
  const resolved = action === 'resolve';
  const budget = `Budget left: ${formatBudget(status.errorBudget.remaining)}; SLI ${formatSli(status.sli)} against ${formatObjective(subject.slo.objective)}.`;
  const spent = event.budgetSpent !== null ? ` It spent ${formatBudgetSpent(event.budgetSpent)} of the budget while firing.` : '';
  switch (event.kind as AlertKind) {
    case 'burn_rate': {
      const long = String(details.longWindow ?? '');
      const short = String(details.shortWindow ?? '');
      const threshold = typeof details.threshold === 'number' ? formatThreshold(details.threshold) : '';
      const rate = formatBurnRate((details.longBurnRate as number | null) ?? event.peakBurnRate);
      return resolved
        ? {
            summary: `${name} no longer burns its budget above ${threshold} (${event.severity}, ${long}/${short})`,
            description: `Resolved: the ${long} and ${short} burn rates are no longer both above ${threshold}. Peak ${formatBurnRate(event.peakBurnRate)}.${spent} ${budget}`,
          }
        : {
            summary: `${name} burns its error budget ${rate} (${event.severity}, ${long}/${short} above ${threshold})`,
            description: `The ${long} burn rate is ${rate} and the ${short} ${formatBurnRate((details.shortBurnRate as number | null) ?? null)}, both above ${threshold}. ${budget}`,
          };
    }
    case 'data_absent':
      return resolved
        ? { summary: `${name} has data again`, description: `Events are being counted again. ${budget}` }
        : {
            summary: `${name} has no data: nothing counted for ${String(details.afterMinutes)} min or more`,
            description: `No events were counted since ${String(details.lastEventAt ?? 'the history began')}${details.staleSince ? `; its source has failed since ${String(details.staleSince)}` : ''}. Its figures and burn-rate alerts cannot be trusted until data returns.`,
          };
    case 'budget_low': {
      const share = typeof details.share === 'number' ? formatBudget(details.share) : '';
      return resolved
        ? { summary: `${name} has more than ${share} of its error budget again`, description: budget }
        : { summary: `${name} has ${formatBudget(status.errorBudget.remaining)} of its error budget left (below ${share})`, description: budget };
    }
  }
}

/** What a notification about `event` says, built when its transition is recorded. */
export function alertMessage(input: {
  event: AlertEventRow;
  status: SloStatus;
  action: NotificationAction;
  subject: MessageSubject;
  idempotencyKey: string;
}): AlertMessage {
  const { event, status, action, subject } = input;
  const details = event.details as Record<string, unknown>;
  const kind = event.kind as AlertKind;
  const severity = event.severity as Severity;
  return {
    idempotencyKey: input.idempotencyKey,
    action,
    event: {
      id: event.id,
      kind,
      severity,
      alertKey: event.alertKey,
      groupKey: groupKeyOf(subject.service.slug, subject.slo.slug, kind, severity),
      alertName: ALERT_NAMES[kind],
      startedAt: (event.startedAt ?? event.createdAt).toISOString(),
      endedAt: event.endedAt?.toISOString() ?? null,
      peakBurnRate: event.peakBurnRate,
      budgetSpent: event.budgetSpent,
      ...(kind === 'burn_rate'
        ? { longWindow: String(details.longWindow), shortWindow: String(details.shortWindow), threshold: Number(details.threshold) }
        : {}),
    },
    service: { slug: subject.service.slug, name: subject.service.name, team: subject.service.ownerTeam },
    slo: { slug: subject.slo.slug, name: subject.slo.name, objective: subject.slo.objective, labels: subject.slo.labels },
    figures: { asOf: status.asOf, sli: status.sli, budgetRemaining: status.errorBudget.remaining, burnRates: status.burnRates },
    ...sentences(event, status, action, subject),
    links: { slo: sloUrl(subject.service.slug, subject.slo.slug), runbook: subject.service.runbookUrl, dashboard: subject.service.dashboardUrl },
  };
}
