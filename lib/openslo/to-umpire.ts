import type { z } from 'zod';
import { ServiceInput } from '@/lib/schemas/service';
import { type AlertPolicyInput, AlertTier, Budgeting, SloInput, SloWindow } from '@/lib/schemas/slo';
import { describeDocument, fieldPath, type OpenSloResult } from './parse';
import type { AlertConditionSpec, AlertPolicySpec, InlineSli, Metadata, OpenSloDocument, TimeWindow } from './schema';

/** Annotations that carry what OpenSLO cannot say; fromUmpire writes them and toUmpire reads them back. */
export const ANNOTATION = {
  ownerTeam: 'umpire.dev/owner-team',
  tier: 'umpire.dev/tier',
  links: 'umpire.dev/links',
  minEvents: 'umpire.dev/min-events',
  labels: 'umpire.dev/labels',
  alertSettings: 'umpire.dev/alert-settings',
  sli: 'umpire.dev/sli',
  datasource: 'umpire.dev/datasource',
  shortWindow: 'umpire.dev/short-window',
  description: 'umpire.dev/description',
} as const;

/** OpenSLO's limit on descriptions (Umpire allows 2000). */
export const MAX_DESCRIPTION_CHARS = 1050;

/**
 * An OpenSLO notification target of an SLO's alert policy: Umpire's notification channel of that name, sent the
 * alerts of the policy's severity (a route for that one SLO; docs/gitops.md). `kind` is OpenSLO's spec.target.
 */
export interface NotifyTarget {
  channel: string;
  severity: 'page' | 'ticket';
  kind?: string;
}

export interface UmpireDefinitions {
  services: ServiceInput[];
  /** `targets`: the SLO's notification targets, when it has any. */
  slos: Array<{ service: string; input: SloInput; targets?: NotifyTarget[] }>;
  /** The file each came from (imports only), by service slug and by `service/slo`. */
  files?: { services: Record<string, string>; slos: Record<string, string> };
}

type SloDocument = Extract<OpenSloDocument, { kind: 'SLO' }>;
type ServiceDocument = Extract<OpenSloDocument, { kind: 'Service' }>;

/** Thrown inside one document's mapping and caught per document, so one refusal does not hide the others. */
class Refusal extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('\n'));
  }
}

/**
 * Maps parsed OpenSLO documents to Umpire's inputs. What Umpire cannot represent is refused with a message naming
 * the document and the field, never dropped: the result holds every refusal, or every service and SLO.
 */
export function toUmpire(documents: OpenSloDocument[]): OpenSloResult<UmpireDefinitions> {
  const errors: string[] = [];
  const byName = new Map<string, OpenSloDocument>();
  for (const doc of documents) {
    // SLOs are named within their service (docs/openslo.md: more lenient than the reference validator), so two
    // services may each have an `availability`, as Umpire's catalogue does and its export writes.
    const key = doc.kind === 'SLO' ? `SLO/${doc.spec.service}/${doc.metadata.name}` : `${doc.kind}/${doc.metadata.name}`;
    const earlier = byName.get(key);
    if (earlier) errors.push(`${where(doc)}: metadata.name: is also used by ${where(earlier)}`);
    else byName.set(key, doc);
  }
  const services: ServiceInput[] = [];
  const slos: UmpireDefinitions['slos'] = [];
  const files: NonNullable<UmpireDefinitions['files']> = { services: {}, slos: {} };
  for (const doc of documents) {
    try {
      if (doc.kind === 'Service') {
        const input = serviceInput(doc);
        services.push(input);
        files.services[input.slug] = doc.at.file;
      } else if (doc.kind === 'SLO') {
        const targets: NotifyTarget[] = [];
        const input = sloInput(doc, byName, targets);
        slos.push({ service: doc.spec.service, input, ...(targets.length > 0 ? { targets } : {}) });
        files.slos[`${doc.spec.service}/${input.slug}`] = doc.at.file;
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      errors.push(...error.messages);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { services, slos, files } };
}

function where(doc: OpenSloDocument): string {
  return describeDocument(doc.at, doc.kind, doc.metadata.name);
}

function refuse(doc: OpenSloDocument, field: string, message: string): never {
  throw new Refusal([`${where(doc)}: ${field}: ${message}`]);
}

function label(metadata: Metadata, name: string): string | undefined {
  const value = metadata.labels?.[name];
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

function json(doc: OpenSloDocument, metadata: Metadata, key: string, field = 'metadata'): unknown {
  const text = metadata.annotations?.[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    refuse(doc, `${field}.annotations.${key}`, 'must be JSON');
  }
}

/** Runs Umpire's own schema and reports its failures on the OpenSLO document. */
function umpireParse<T extends z.ZodType>(doc: OpenSloDocument, schema: T, value: unknown, fieldFor: (path: string) => string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => `${where(doc)}: ${fieldFor(fieldPath(issue.path))}: ${issue.message}`);
  throw new Refusal(messages);
}

function serviceInput(doc: ServiceDocument): ServiceInput {
  const { metadata } = doc;
  const ownerTeam = label(metadata, 'team') ?? metadata.annotations?.[ANNOTATION.ownerTeam];
  if (ownerTeam === undefined)
    refuse(doc, 'metadata.labels.team', `Umpire needs the owning team: set the label team or the annotation ${ANNOTATION.ownerTeam}`);
  const tierText = label(metadata, 'tier') ?? metadata.annotations?.[ANNOTATION.tier];
  if (tierText === undefined)
    refuse(doc, 'metadata.labels.tier', `Umpire needs the service tier (1, 2 or 3): set the label tier or the annotation ${ANNOTATION.tier}`);
  if (!/^[1-3]$/.test(tierText)) refuse(doc, 'metadata.labels.tier', 'must be 1, 2 or 3');
  const input = {
    slug: metadata.name,
    name: metadata.displayName ?? metadata.name,
    ownerTeam,
    tier: Number(tierText),
    description: metadata.annotations?.[ANNOTATION.description] ?? doc.spec.description ?? '',
    links: json(doc, metadata, ANNOTATION.links) ?? {},
  };
  return umpireParse(doc, ServiceInput, input, (path) =>
    path === 'slug' ? 'metadata.name' : path === 'name' ? 'metadata.displayName' : path.startsWith('links') ? `metadata.annotations.${ANNOTATION.links}` : path,
  );
}

const CALENDAR_UNITS = { '1w': 'week', '1M': 'month', '1Q': 'quarter' } as const;

function sloWindow(doc: SloDocument, window: TimeWindow): SloWindow {
  const field = 'spec.timeWindow[0]';
  if (window.calendar === undefined) {
    const days = wholeDays(window.duration);
    if (days === undefined) refuse(doc, `${field}.duration`, `Umpire's rolling windows are whole days (e.g. 28d or 4w), not ${window.duration}`);
    return { kind: 'rolling', days };
  }
  const unit = CALENDAR_UNITS[window.duration as keyof typeof CALENDAR_UNITS];
  if (unit === undefined) refuse(doc, `${field}.duration`, `Umpire's calendar windows are 1w, 1M or 1Q, not ${window.duration}`);
  // Umpire's calendar windows start at the unit's boundary (ISO weeks from Monday, months, quarters from January).
  const start = /^(\d{4})-(\d{2})-(\d{2})[ T]00:00:00$/.exec(window.calendar.startTime);
  const aligned =
    start !== null &&
    (unit === 'week'
      ? new Date(Date.UTC(Number(start[1]), Number(start[2]) - 1, Number(start[3]))).getUTCDay() === 1
      : start[3] === '01' && (unit === 'month' || ['01', '04', '07', '10'].includes(start[2]!)));
  if (!aligned) {
    refuse(
      doc,
      `${field}.calendar.startTime`,
      `Umpire's ${unit}s start at midnight on ${unit === 'week' ? 'a Monday' : unit === 'month' ? 'the 1st' : 'the 1st of January, April, July or October'}`,
    );
  }
  return umpireParse(doc, SloWindow, { kind: 'calendar', unit, timeZone: window.calendar.timeZone }, () => `${field}.calendar.timeZone`);
}

const SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

function seconds(duration: string): number | undefined {
  const match = /^(\d+)([smhdw])$/.exec(duration);
  return match ? Number(match[1]) * SECONDS[match[2] as keyof typeof SECONDS] : undefined;
}

function wholeDays(duration: string): number | undefined {
  const s = seconds(duration);
  return s !== undefined && s > 0 && s % 86_400 === 0 ? s / 86_400 : undefined;
}

/** OpenSLO durations to Umpire's `5m`/`1h`/`3d`, in the largest whole unit; undefined when not whole minutes. */
function umpireDuration(duration: string): string | undefined {
  const s = seconds(duration);
  if (s === undefined || s <= 0 || s % 60 !== 0) return undefined;
  const minutes = s / 60;
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

function budgeting(doc: SloDocument): Budgeting {
  const { spec } = doc;
  if (spec.budgetingMethod === 'Occurrences') return { method: 'occurrences' };
  if (spec.budgetingMethod === 'RatioTimeslices') refuse(doc, 'spec.budgetingMethod', 'Umpire cannot compute RatioTimeslices: use Occurrences or Timeslices');
  const objective = spec.objectives[0]!;
  const window = objective.timeSliceWindow!;
  const s = typeof window === 'number' ? window : seconds(window);
  if (s === undefined || s <= 0 || s % 60 !== 0) refuse(doc, 'spec.objectives[0].timeSliceWindow', 'Umpire slices time in whole minutes, from 1m to 60m');
  return umpireParse(doc, Budgeting, { method: 'timeslices', sliceMinutes: s / 60, threshold: objective.timeSliceTarget }, (path) =>
    path === 'sliceMinutes' ? 'spec.objectives[0].timeSliceWindow' : 'spec.objectives[0].timeSliceTarget',
  );
}

function indicator(doc: SloDocument, byName: Map<string, OpenSloDocument>): { sli: InlineSli; field: string } {
  const { spec } = doc;
  if (spec.indicator) return { sli: spec.indicator, field: 'spec.indicator' };
  const ref = byName.get(`SLI/${spec.indicatorRef}`);
  if (ref === undefined || ref.kind !== 'SLI') refuse(doc, 'spec.indicatorRef', `names no SLI document among the files: ${spec.indicatorRef}`);
  return { sli: { metadata: ref.metadata, spec: ref.spec }, field: `spec.indicatorRef (SLI ${ref.metadata.name})` };
}

function sliSpec(doc: SloDocument, byName: Map<string, OpenSloDocument>): unknown {
  const { sli, field } = indicator(doc, byName);
  const carried = json(doc, sli.metadata, ANNOTATION.sli, `${field}.metadata`);
  if (carried !== undefined) return carried;
  const ratio = sli.spec.ratioMetric;
  if (ratio === undefined)
    refuse(doc, `${field}.spec.thresholdMetric`, 'Umpire cannot measure a thresholdMetric: use a ratioMetric of good (or bad) and total events');
  if (ratio.raw !== undefined) refuse(doc, `${field}.spec.ratioMetric.raw`, 'Umpire cannot take a precomputed ratio: give good (or bad) and total counters');
  const parts = (['good', 'bad', 'total'] as const).filter((part) => ratio[part] !== undefined);
  const selectors: Record<string, string> = {};
  const datasources = new Set<string>();
  for (const part of parts) {
    const source = ratio[part]!.metricSource;
    const at = `${field}.spec.ratioMetric.${part}.metricSource`;
    const ref = source.metricSourceRef === undefined ? undefined : byName.get(`DataSource/${source.metricSourceRef}`);
    const type = source.type ?? (ref?.kind === 'DataSource' ? ref.spec.type : undefined);
    if (type?.toLowerCase() !== 'prometheus') refuse(doc, `${at}.type`, `Umpire reads ratio metrics from Prometheus only, not ${type ?? 'an unknown source'}`);
    const query = source.spec.query;
    if (typeof query !== 'string') refuse(doc, `${at}.spec.query`, 'must be a Prometheus counter selector');
    selectors[`${part}Selector`] = query;
    const datasource = source.metricSourceRef ?? sli.metadata.annotations?.[ANNOTATION.datasource];
    if (datasource === undefined)
      refuse(doc, `${at}.metricSourceRef`, `Umpire needs the Prometheus data source's name: set metricSourceRef or the annotation ${ANNOTATION.datasource}`);
    datasources.add(datasource);
  }
  if (datasources.size > 1) refuse(doc, `${field}.spec.ratioMetric`, 'Umpire reads good and total from one data source');
  return { source: 'prometheus', kind: 'ratio', datasource: [...datasources][0], ...selectors };
}

function alertTier(doc: SloDocument, condition: { metadata: Metadata; spec: AlertConditionSpec }, field: string): AlertTier {
  const { severity, condition: burn } = condition.spec;
  if (severity !== 'page' && severity !== 'ticket') refuse(doc, `${field}.spec.severity`, `Umpire's alert tiers are page or ticket, not ${severity}`);
  if (burn.op !== 'gt' && burn.op !== 'gte')
    refuse(doc, `${field}.spec.condition.op`, 'Umpire alerts when the burn rate rises above the threshold: use gt or gte');
  const longWindow = umpireDuration(burn.lookbackWindow);
  if (longWindow === undefined) refuse(doc, `${field}.spec.condition.lookbackWindow`, 'must be whole minutes');
  // OpenSLO has one window; Umpire's second, short window rides in an annotation, else the SRE Workbook's 1/12.
  const short = condition.metadata.annotations?.[ANNOTATION.shortWindow];
  const shortWindow = short ?? umpireDuration(`${Math.max(1, Math.round((seconds(burn.lookbackWindow) ?? 0) / 60 / 12))}m`);
  const alertAfter = seconds(burn.alertAfter);
  const forDuration = alertAfter === 0 ? undefined : umpireDuration(burn.alertAfter);
  if (alertAfter !== 0 && forDuration === undefined) refuse(doc, `${field}.spec.condition.alertAfter`, 'must be whole minutes');
  const tier = { severity, longWindow, shortWindow, burnRate: burn.threshold, ...(forDuration === undefined ? {} : { for: forDuration }) };
  return umpireParse(doc, AlertTier, tier, (path) =>
    path === 'shortWindow'
      ? `${field}.metadata.annotations.${ANNOTATION.shortWindow}`
      : path === 'burnRate'
        ? `${field}.spec.condition.threshold`
        : `${field}.spec.condition.lookbackWindow`,
  );
}

function alertPolicy(doc: SloDocument, byName: Map<string, OpenSloDocument>, targets: NotifyTarget[]): AlertPolicyInput | null {
  const settings = json(doc, doc.metadata, ANNOTATION.alertSettings);
  if (settings !== undefined && (typeof settings !== 'object' || settings === null || Array.isArray(settings))) {
    refuse(doc, `metadata.annotations.${ANNOTATION.alertSettings}`, 'must be a JSON object');
  }
  const tiers = (doc.spec.alertPolicies ?? []).map((entry, i) => {
    let field = `spec.alertPolicies[${i}]`;
    let policy: { metadata: Metadata; spec: AlertPolicySpec };
    if ('alertPolicyRef' in entry) {
      const ref = byName.get(`AlertPolicy/${entry.alertPolicyRef}`);
      if (ref?.kind !== 'AlertPolicy') refuse(doc, `${field}.alertPolicyRef`, `names no AlertPolicy document among the files: ${entry.alertPolicyRef}`);
      policy = ref;
      field = `${field} (AlertPolicy ${ref.metadata.name})`;
    } else policy = entry;
    const condition = policy.spec.conditions[0]!;
    let tier: AlertTier;
    if ('conditionRef' in condition) {
      const ref = byName.get(`AlertCondition/${condition.conditionRef}`);
      if (ref?.kind !== 'AlertCondition')
        refuse(doc, `${field}.spec.conditions[0].conditionRef`, `names no AlertCondition document among the files: ${condition.conditionRef}`);
      tier = alertTier(doc, ref, `${field}.spec.conditions[0] (AlertCondition ${ref.metadata.name})`);
    } else tier = alertTier(doc, condition, `${field}.spec.conditions[0]`);
    // Each target names an Umpire notification channel; it is sent this tier's alerts (whether the channel exists is
    // the plan's to say).
    (policy.spec.notificationTargets ?? []).forEach((target, j) => {
      const at = `${field}.spec.notificationTargets[${j}]`;
      let named: { metadata: Metadata; spec: { target: string } };
      if ('targetRef' in target) {
        const ref = byName.get(`AlertNotificationTarget/${target.targetRef}`);
        if (ref?.kind !== 'AlertNotificationTarget')
          refuse(doc, `${at}.targetRef`, `names no AlertNotificationTarget document among the files: ${target.targetRef}`);
        named = ref;
      } else named = target;
      const channel = named.metadata.name;
      if (!targets.some((t) => t.channel === channel && t.severity === tier.severity))
        targets.push({ channel, severity: tier.severity, kind: named.spec.target });
    });
    return tier;
  });
  // An empty policy (no tiers, no settings of its own, e.g. the annotation '{}') is the default one: null, as stored.
  if ((settings === undefined || Object.keys(settings as object).length === 0) && tiers.length === 0) return null;
  return { ...(settings as object | undefined), ...(tiers.length > 0 ? { tiers } : {}) } as AlertPolicyInput;
}

/**
 * An SLO's OpenSLO labels become Umpire labels (Umpire's rules on names apply); the export writes Umpire's labels to
 * an annotation instead, which wins when both are present.
 */
function sloLabels(doc: SloDocument): unknown {
  const carried = json(doc, doc.metadata, ANNOTATION.labels);
  if (carried !== undefined) return carried;
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(doc.metadata.labels ?? {})) {
    if (Array.isArray(value)) refuse(doc, `metadata.labels.${name}`, 'Umpire labels hold one value, not a list');
    labels[name] = value;
  }
  return labels;
}

function sloInput(doc: SloDocument, byName: Map<string, OpenSloDocument>, targets: NotifyTarget[]): SloInput {
  const { spec, metadata } = doc;
  if (spec.objectives.length > 1) refuse(doc, 'spec.objectives', 'Umpire SLOs have one objective: split the SLO into one per objective');
  const objective = spec.objectives[0]!;
  if (objective.indicator !== undefined || objective.indicatorRef !== undefined || objective.compositeWeight !== undefined) {
    refuse(doc, 'spec.objectives[0]', 'Umpire cannot compute composite objectives');
  }
  if (objective.op !== undefined || objective.value !== undefined)
    refuse(doc, 'spec.objectives[0].value', 'Umpire objectives are a target ratio; a threshold value needs a thresholdMetric, which Umpire cannot measure');
  const input = {
    slug: metadata.name,
    name: metadata.displayName ?? metadata.name,
    description: metadata.annotations?.[ANNOTATION.description] ?? spec.description ?? '',
    // 99.9 / 100 is 0.9990000000000001 in floating point; twelve digits are more than any objective needs.
    objective: objective.target ?? Number((objective.targetPercent! / 100).toPrecision(12)),
    window: sloWindow(doc, spec.timeWindow[0]!),
    budgeting: budgeting(doc),
    sli: sliSpec(doc, byName),
    alertPolicy: alertPolicy(doc, byName, targets),
    minEvents: json(doc, metadata, ANNOTATION.minEvents),
    labels: sloLabels(doc),
  };
  return umpireParse(doc, SloInput, input, (path) => {
    const top = path.split(/[.[]/)[0];
    if (top === 'slug') return 'metadata.name';
    if (top === 'name') return 'metadata.displayName';
    if (top === 'objective') return objective.target === undefined ? 'spec.objectives[0].targetPercent' : 'spec.objectives[0].target';
    if (top === 'window') return 'spec.timeWindow[0].duration';
    if (top === 'sli') return `spec.indicator (as Umpire's ${path})`;
    if (top === 'minEvents') return `metadata.annotations.${ANNOTATION.minEvents}`;
    if (top === 'labels')
      return metadata.annotations?.[ANNOTATION.labels] === undefined ? path.replace('labels', 'metadata.labels') : `metadata.annotations.${ANNOTATION.labels}`;
    if (top === 'alertPolicy') return `metadata.annotations.${ANNOTATION.alertSettings} (as Umpire's ${path})`;
    return path;
  });
}
