/** The SLO form's draft: what people type, its defaults, the API body it makes, its own checks and derived values. */
import type { z } from 'zod';
import { DEFAULT_MIN_EVENTS, type DataSource, type OtelMetricSummary, type SliSpec, type Slo, type SloInputDraft } from '@/lib/schemas';
import { durationMinutes } from '@/lib/schemas/common';
import type { FieldErrors } from '@/lib/schemas/field-errors';
import { ApiRequestError } from '@/lib/queries/api';
import type { FieldPlace } from '../form/form-errors';
import { fractionToPercent, numberOf, percentToFraction } from '../form/values';
import { otelDraftOf, otelLocalErrors, otelLocate, otelSliOf, type OtelDraft } from '../otel/otel-draft';
import { promDraftOf, promLocalErrors, promLocate, promSliOf, type PromDraft } from './prometheus-sli-fields';
import { tierDraftOf, tierRows, windowDefaultTiers, type PeriodContext, type TierDraft, type TierRow, type WindowFields } from './tier-draft';

export type Unit = WindowFields['calendarUnit'];

export interface LabelRow {
  key: number;
  name: string;
  value: string;
}

/** The form's state: every field as typed. */
export interface SloDraft extends TierDraft {
  name: string;
  slug: string;
  description: string;
  /** As typed, in percent: "99.9". */
  objectivePct: string;
  budgeting: 'occurrences' | 'timeslices';
  sliceMinutes: string;
  sliceThresholdPct: string;
  /** The fewest events a tier's long window must hold for it to fire, as typed. */
  minEvents: string;
  source: SliSpec['source'];
  /** Demo source fields. */
  profile: 'availability' | 'latency';
  eventsPerMinute: string;
  baselineErrorRatio: string;
  seed: string;
  /** Prometheus source fields; kept while another source is chosen, so switching back loses nothing. */
  prom: PromDraft;
  /** OpenTelemetry source fields, kept the same way. */
  otel: OtelDraft;
  labels: LabelRow[];
  /** The budget-low alert's share in percent as typed; empty: the installation's. */
  budgetLowPct: string;
  /** No budget-low alert for this SLO. */
  budgetLowOff: boolean;
  /** Minutes without events before the data-absent alert, as typed; empty: the installation's. */
  absentMinutes: string;
}

/** Nominal period lengths, for the budget preview only; the server uses the calendar's real one. */
const CALENDAR_DAYS: Record<Unit, number> = { week: 7, month: 30, quarter: 91 };

export function periodMinutesOf(draft: SloDraft): number | null {
  if (draft.windowKind === 'rolling') {
    const days = numberOf(draft.rollingDays);
    return Number.isInteger(days) && days >= 1 && days <= 90 ? days * 1440 : null;
  }
  return CALENDAR_DAYS[draft.calendarUnit] * 1440;
}

export function draftOf(slo: Slo | undefined, datasources: readonly DataSource[], ctx: PeriodContext): SloDraft {
  if (!slo) {
    const window: WindowFields = { windowKind: 'rolling', rollingDays: '30', calendarUnit: 'month', timeZone: null };
    return {
      name: '',
      slug: '',
      description: '',
      objectivePct: '99.9',
      ...window,
      budgeting: 'occurrences',
      sliceMinutes: '5',
      sliceThresholdPct: '99',
      minEvents: String(DEFAULT_MIN_EVENTS),
      source: 'demo',
      profile: 'availability',
      eventsPerMinute: '600',
      baselineErrorRatio: '0.0003',
      seed: 'umpire',
      prom: promDraftOf(null, datasources),
      otel: otelDraftOf(null),
      policy: 'default',
      tiers: tierRows(windowDefaultTiers(window, ctx), 0),
      tiersEdited: false,
      labels: [],
      budgetLowPct: '',
      budgetLowOff: false,
      absentMinutes: '',
      seq: 100,
    };
  }
  const demo = slo.sli.source === 'demo' ? slo.sli : null;
  return {
    name: slo.name,
    slug: slo.slug,
    description: slo.description,
    objectivePct: fractionToPercent(slo.objective),
    windowKind: slo.window.kind,
    rollingDays: slo.window.kind === 'rolling' ? String(slo.window.days) : '30',
    calendarUnit: slo.window.kind === 'calendar' ? slo.window.unit : 'month',
    timeZone: slo.window.kind === 'calendar' ? slo.window.timeZone : null,
    budgeting: slo.budgeting.method,
    sliceMinutes: slo.budgeting.method === 'timeslices' ? String(slo.budgeting.sliceMinutes) : '5',
    sliceThresholdPct: slo.budgeting.method === 'timeslices' ? fractionToPercent(slo.budgeting.threshold) : '99',
    minEvents: String(slo.minEvents),
    source: slo.sli.source,
    profile: demo?.profile ?? 'availability',
    eventsPerMinute: String(demo?.eventsPerMinute ?? 600),
    baselineErrorRatio: String(demo?.baselineErrorRatio ?? 0.0003),
    seed: demo?.seed ?? 'umpire',
    prom: promDraftOf(slo.sli.source === 'prometheus' ? slo.sli : null, datasources),
    otel: otelDraftOf(slo.sli.source === 'otel' ? slo.sli : null),
    ...tierDraftOf(slo.alertPolicy),
    labels: Object.entries(slo.labels).map(([name, value], i) => ({ key: 50 + i, name, value })),
    budgetLowPct: !slo.alertPolicy.budgetLow.isDefault && slo.alertPolicy.budgetLow.share !== null ? fractionToPercent(slo.alertPolicy.budgetLow.share) : '',
    budgetLowOff: !slo.alertPolicy.budgetLow.isDefault && slo.alertPolicy.budgetLow.share === null,
    absentMinutes: slo.alertPolicy.absent.isDefault ? '' : String(slo.alertPolicy.absent.minutes),
    seq: 100,
  };
}

/** The SLI as typed, for the schema to judge (a Prometheus draft may not be a valid SLI yet). */
export function sliOf(draft: SloDraft): Record<string, unknown> {
  if (draft.source === 'prometheus') return promSliOf(draft.prom);
  if (draft.source === 'otel') return otelSliOf(draft.otel);
  return {
    source: 'demo',
    profile: draft.profile,
    eventsPerMinute: numberOf(draft.eventsPerMinute),
    baselineErrorRatio: numberOf(draft.baselineErrorRatio),
    seed: draft.seed,
  };
}

/** The draft as the API's body (SloInputDraft: what the schema accepts before defaults). */
export function bodyOf(draft: SloDraft, browserZone: string): SloInputDraft {
  return {
    slug: draft.slug.trim(),
    name: draft.name,
    description: draft.description,
    objective: percentToFraction(draft.objectivePct),
    window:
      draft.windowKind === 'rolling'
        ? { kind: 'rolling', days: numberOf(draft.rollingDays) }
        : { kind: 'calendar', unit: draft.calendarUnit, timeZone: (draft.timeZone ?? browserZone).trim() },
    budgeting:
      draft.budgeting === 'occurrences'
        ? { method: 'occurrences' }
        : { method: 'timeslices', sliceMinutes: numberOf(draft.sliceMinutes), threshold: percentToFraction(draft.sliceThresholdPct) },
    sli: sliOf(draft) as SloInputDraft['sli'],
    alertPolicy: alertPolicyOf(draft),
    minEvents: numberOf(draft.minEvents),
    labels: Object.fromEntries(draft.labels.filter((l) => l.name.trim() !== '' || l.value !== '').map((l) => [l.name.trim(), l.value])),
  };
}

/** The alert policy as typed: null when every part of it is the default (the tiers, the budget-low share, the absent delay). */
export function alertPolicyOf(draft: SloDraft): SloInputDraft['alertPolicy'] {
  const policy = {
    ...(draft.policy === 'custom'
      ? {
          tiers: draft.tiers.map((t) => ({
            severity: t.severity,
            longWindow: t.longWindow.trim(),
            shortWindow: t.shortWindow.trim(),
            burnRate: numberOf(t.burnRate),
            ...(t.for.trim() !== '' ? { for: t.for.trim() } : {}),
          })),
        }
      : {}),
    ...(draft.budgetLowOff ? { budgetLowShare: null } : draft.budgetLowPct.trim() !== '' ? { budgetLowShare: percentToFraction(draft.budgetLowPct) } : {}),
    ...(draft.absentMinutes.trim() !== '' ? { absentMinutes: numberOf(draft.absentMinutes) } : {}),
  };
  return Object.keys(policy).length > 0 ? policy : null;
}

/** Percent fields hold fractions in the schema; their messages are rewritten in the units the user typed. */
export function rewriteIssue(issue: z.core.$ZodIssue): string | undefined {
  const path = issue.path.join('.');
  if (path === 'objective') {
    if (issue.code === 'invalid_type') return 'must be a percentage such as 99.9';
    if (issue.code === 'too_big') return 'must be below 100%: an objective of 100% leaves no error budget';
    if (issue.code === 'too_small') return 'must be above 0%';
  }
  if (path === 'budgeting.threshold') {
    if (issue.code === 'invalid_type') return 'must be a percentage such as 99';
    if (issue.code === 'too_big') return 'must be at most 100%';
    if (issue.code === 'too_small') return 'must be above 0%';
  }
  if (path === 'alertPolicy.budgetLowShare') return 'must be a percentage above 0 and below 100, e.g. 25';
  if (path === 'alertPolicy.absentMinutes') return 'must be a whole number of minutes from 1 to 1440';
  if (path === 'sli.seed' && issue.code === 'too_small') return 'is required';
  if (path === 'sli.thresholdSeconds' && issue.code === 'invalid_type') return 'must be a number of seconds, e.g. 0.25';
  if (/^sli\.good\.\d+\.threshold$/.test(path) && issue.code === 'invalid_type')
    return 'is required: choose a bucket boundary, or type one in the metric’s unit';
  if (issue.code === 'invalid_type' && /number|NaN/i.test(issue.message)) return 'must be a number';
  return undefined;
}

/** Where each error path is shown: its control's id and the label its message starts with. */
export function locate(path: string, draft: SloDraft): FieldPlace | null {
  const fixed: Record<string, FieldPlace> = {
    name: { id: 'slo-name', label: 'Name' },
    slug: { id: 'slo-slug', label: 'Slug' },
    description: { id: 'slo-description', label: 'Description' },
    objective: { id: 'slo-objective', label: 'Objective' },
    window: { id: 'slo-window-rolling', label: 'Window' },
    'window.days': { id: 'slo-days', label: 'Days' },
    'window.unit': { id: 'slo-unit', label: 'Calendar period' },
    'window.timeZone': { id: 'slo-timezone', label: 'Time zone' },
    budgeting: { id: 'slo-budgeting-occurrences', label: 'Budgeting' },
    'budgeting.sliceMinutes': { id: 'slo-slice-minutes', label: 'Slice length' },
    'budgeting.threshold': { id: 'slo-slice-threshold', label: 'Slice threshold' },
    sli: { id: `slo-source-${draft.source}`, label: 'SLI source' },
    'sli.source': { id: `slo-source-${draft.source}`, label: 'SLI source' },
    'sli.profile': { id: 'slo-profile-availability', label: 'Profile' },
    'sli.eventsPerMinute': { id: 'slo-epm', label: 'Events per minute' },
    'sli.baselineErrorRatio': { id: 'slo-baseline', label: 'Baseline error ratio' },
    'sli.seed': { id: 'slo-seed', label: 'Seed' },
    alertPolicy: { id: 'slo-policy-default', label: 'Alert policy' },
    'alertPolicy.tiers': { id: 'slo-tiers-add', label: 'Alert tiers' },
    'alertPolicy.budgetLowShare': { id: 'slo-budget-low', label: 'Budget-low alert' },
    'alertPolicy.absentMinutes': { id: 'slo-absent-minutes', label: 'Data-absent alert' },
    minEvents: { id: 'slo-min-events', label: 'Minimum events' },
    labels: { id: 'slo-labels-add', label: 'Labels' },
  };
  if (fixed[path]) return fixed[path];
  if (draft.source === 'prometheus' && path.startsWith('sli.')) return promLocate(path, draft.prom);
  if (draft.source === 'otel' && path.startsWith('sli.')) return otelLocate(path, draft.otel);
  const tier = /^alertPolicy\.tiers\.(\d+)\.(severity|longWindow|shortWindow|burnRate|for)$/.exec(path);
  if (tier) {
    const row = draft.tiers[Number(tier[1])];
    const names = { severity: 'Severity', longWindow: 'Long window', shortWindow: 'Short window', burnRate: 'Burn-rate threshold', for: 'For' } as const;
    if (row) return { id: `slo-tier-${row.key}-${tier[2]}`, label: `Tier ${Number(tier[1]) + 1}: ${names[tier[2] as keyof typeof names]}` };
  }
  const label = /^labels\.(.+)$/.exec(path);
  if (label) {
    const row = draft.labels.find((l) => l.name.trim() === label[1]);
    if (row) return { id: `slo-label-${row.key}-name`, label: `Label “${row.name.trim()}”` };
  }
  return null;
}

/** An API failure that named SLI fields: shown at those fields rather than in the preview panel. */
export function isFieldError(error: unknown): boolean {
  return error instanceof ApiRequestError && Object.keys(error.fields).some((path) => path.startsWith('sli.'));
}

/**
 * Checks the schema cannot make: a label named twice would silently keep only the last value; an
 * OpenTelemetry latency condition on a metric Umpire knows is not a histogram.
 */
export function localErrors(draft: SloDraft, otelCatalog: readonly OtelMetricSummary[] | undefined): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  for (const row of draft.labels) {
    const name = row.name.trim();
    if (name === '' && row.value !== '') errors[`labels.${row.key}#empty`] = 'needs a name';
    if (name !== '' && seen.has(name)) errors[`labels.${name}`] = 'is used twice';
    seen.add(name);
  }
  if (draft.source === 'prometheus') return { ...errors, ...promLocalErrors(draft.prom) };
  if (draft.source === 'otel') return { ...errors, ...otelLocalErrors(draft.otel, otelCatalog) };
  return errors;
}

/** Where the summary links an error: a label row's name without a name is found by its row, the rest by `locate`. */
export function errorPlace(path: string, draft: SloDraft): FieldPlace | null {
  const emptyLabel = /^labels\.(\d+)#empty$/.exec(path);
  return emptyLabel ? { id: `slo-label-${emptyLabel[1]}-name`, label: 'Label' } : locate(path, draft);
}

/** The errors of every field but the SLI's, which a preview checks afresh. */
export function withoutSliErrors(current: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(current).filter(([path]) => path !== 'sli' && !path.startsWith('sli.')));
}

/** The window's length in words, for the budget preview ("30 days", "30-day month"). */
export function periodTextOf(draft: SloDraft): string {
  return draft.windowKind === 'rolling'
    ? `${draft.rollingDays.trim()} days`
    : draft.calendarUnit === 'month'
      ? '30-day month'
      : draft.calendarUnit === 'week'
        ? 'week'
        : '91-day quarter';
}

/** Timeslices: the tier windows shorter than a slice, which measure the slice they fall in (the form says so). */
export function shortSliceWindowsOf(draft: SloDraft, defaultTiers: ReadonlyArray<Pick<TierRow, 'longWindow' | 'shortWindow'>>): string[] {
  const sliceLength = draft.budgeting === 'timeslices' ? numberOf(draft.sliceMinutes) : NaN;
  return Number.isInteger(sliceLength)
    ? [
        ...new Set(
          (draft.policy === 'default' ? defaultTiers : draft.tiers)
            .flatMap((t) => [t.longWindow, t.shortWindow])
            .filter((w) => Number.isFinite(durationMinutes(w.trim())) && durationMinutes(w.trim()) < sliceLength),
        ),
      ]
    : [];
}

/** The objective as a fraction when it is one an SLO can have (above 0%, below 100%); null otherwise. */
export function objectiveOf(draft: SloDraft): number | null {
  const objective = percentToFraction(draft.objectivePct);
  return objective > 0 && objective < 1 ? objective : null;
}
