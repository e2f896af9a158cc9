import { stringify } from 'yaml';
import type { ServiceInput } from '@/lib/schemas/service';
import { type AlertTier, DEFAULT_MIN_EVENTS, type SloInput, type SliSpec, type SloWindow } from '@/lib/schemas/slo';
import { API_VERSION } from './parse';
import { ANNOTATION, MAX_DESCRIPTION_CHARS, type NotifyTarget, type UmpireDefinitions } from './to-umpire';

/** Any date at midnight on a Monday, 1 January: the start of a week, a month and a quarter at once. */
const CALENDAR_START = '2024-01-01 00:00:00';
const CALENDAR_DURATION = { week: '1w', month: '1M', quarter: '1Q' } as const;

type Annotations = Record<string, string>;

/** `${slug}-${suffix}` within OpenSLO's 63 characters: a long slug is cut, never the suffix. */
function childName(slug: string, suffix: string): string {
  return `${slug.slice(0, 62 - suffix.length).replace(/-+$/, '')}-${suffix}`;
}

function document(kind: string, metadata: Record<string, unknown>, spec: Record<string, unknown>) {
  return { apiVersion: API_VERSION, kind, metadata, spec };
}

/** Leaves out what is absent, so the file holds only what was said. */
function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function metadata(name: string, displayName: string | undefined, annotations: Annotations, labels?: Record<string, string>) {
  return defined({ name, displayName, labels, annotations: Object.keys(annotations).length > 0 ? annotations : undefined });
}

/** OpenSLO caps descriptions below Umpire; a longer one travels whole in an annotation. */
function description(text: string, annotations: Annotations): string | undefined {
  if (text.length > MAX_DESCRIPTION_CHARS) {
    annotations[ANNOTATION.description] = text;
    return undefined;
  }
  return text === '' ? undefined : text;
}

function serviceDocument(service: ServiceInput) {
  const annotations: Annotations = { [ANNOTATION.ownerTeam]: service.ownerTeam };
  const links = defined(service.links);
  if (Object.keys(links).length > 0) annotations[ANNOTATION.links] = JSON.stringify(links);
  const spec = defined({ description: description(service.description, annotations) });
  return document('Service', metadata(service.slug, service.name, annotations, { tier: String(service.tier) }), spec);
}

function timeWindow(window: SloWindow) {
  if (window.kind === 'rolling') return { duration: `${window.days}d`, isRolling: true };
  return { duration: CALENDAR_DURATION[window.unit], calendar: { startTime: CALENDAR_START, timeZone: window.timeZone } };
}

function indicator(slug: string, sli: SliSpec) {
  if (sli.source === 'prometheus' && sli.kind === 'ratio') {
    const metric = (query: string) => ({ metricSource: { metricSourceRef: sli.datasource, type: 'Prometheus', spec: { query } } });
    return {
      metadata: { name: childName(slug, 'sli') },
      spec: {
        ratioMetric: defined({
          counter: true,
          good: sli.goodSelector === undefined ? undefined : metric(sli.goodSelector),
          bad: sli.badSelector === undefined ? undefined : metric(sli.badSelector),
          total: metric(sli.totalSelector),
        }),
      },
    };
  }
  // A ratio OpenSLO can hold but not describe: the whole Umpire SLI rides in an annotation and wins on import.
  const metric = { metricSource: { type: sli.source === 'prometheus' ? 'Prometheus' : 'Umpire', spec: { source: sli.source } } };
  return {
    metadata: { name: childName(slug, 'sli'), annotations: { [ANNOTATION.sli]: JSON.stringify(sli) } },
    spec: { ratioMetric: { counter: true, good: metric, total: metric } },
  };
}

function alertPolicyDocument(slug: string, tier: AlertTier, i: number, targets: readonly NotifyTarget[]) {
  const name = childName(slug, `${tier.severity}-${i + 1}`);
  // The channels this tier's severity is sent to, inline: one channel may serve many SLOs.
  const notificationTargets = targets
    .filter((t) => t.severity === tier.severity)
    .map((t) => ({ kind: 'AlertNotificationTarget', metadata: { name: t.channel }, spec: { target: t.kind ?? 'umpire' } }));
  return {
    kind: 'AlertPolicy',
    metadata: { name },
    spec: {
      ...(notificationTargets.length > 0 ? { notificationTargets } : {}),
      conditions: [
        {
          kind: 'AlertCondition',
          metadata: { name, annotations: { [ANNOTATION.shortWindow]: tier.shortWindow } },
          spec: {
            severity: tier.severity,
            condition: { kind: 'burnrate', op: 'gt', threshold: tier.burnRate, lookbackWindow: tier.longWindow, alertAfter: tier.for ?? '0m' },
          },
        },
      ],
    },
  };
}

function sloDocument(service: string, slo: SloInput, targets: readonly NotifyTarget[] = []) {
  const annotations: Annotations = {};
  if (slo.minEvents !== DEFAULT_MIN_EVENTS) annotations[ANNOTATION.minEvents] = JSON.stringify(slo.minEvents);
  if (Object.keys(slo.labels).length > 0) annotations[ANNOTATION.labels] = JSON.stringify(slo.labels);
  if (slo.alertPolicy !== null) {
    const { tiers: _tiers, ...settings } = slo.alertPolicy;
    annotations[ANNOTATION.alertSettings] = JSON.stringify(settings);
  }
  const objective =
    slo.budgeting.method === 'timeslices'
      ? { target: slo.objective, timeSliceTarget: slo.budgeting.threshold, timeSliceWindow: `${slo.budgeting.sliceMinutes}m` }
      : { target: slo.objective };
  const spec = defined({
    description: description(slo.description, annotations),
    service,
    indicator: indicator(slo.slug, slo.sli),
    timeWindow: [timeWindow(slo.window)],
    budgetingMethod: slo.budgeting.method === 'timeslices' ? 'Timeslices' : 'Occurrences',
    objectives: [objective],
    alertPolicies: slo.alertPolicy?.tiers?.map((tier, i) => alertPolicyDocument(slo.slug, tier, i, targets)),
  });
  return document('SLO', metadata(slo.slug, slo.name, annotations), spec);
}

/** Umpire's services and SLOs as one multi-document OpenSLO v1 file; toUmpire(parseOpenSlo(it)) gives them back. */
export function fromUmpire(services: UmpireDefinitions['services'], slos: UmpireDefinitions['slos']): string {
  const documents = [...services.map(serviceDocument), ...slos.map(({ service, input, targets }) => sloDocument(service, input, targets))];
  return documents.map((doc) => stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}
