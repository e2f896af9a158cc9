'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { z } from 'zod';
import { DEFAULT_MIN_EVENTS, SliPreviewRequest, SloInput, SloPatch, type DataSource, type OtelMetricSummary, type SliSpec, type Slo, type SloInputDraft } from '@/lib/schemas';
import { durationMinutes } from '@/lib/schemas/common';
import { allowedErrorMinutes } from '@/lib/slo/budget';
import { ApiRequestError, errorMessage } from '@/lib/queries/api';
import { datasourceKeys, listDataSources, previewSli } from '@/lib/queries/datasources';
import { createSlo, updateSlo } from '@/lib/queries/services';
import { sloKeys } from '@/lib/queries/slo';
import { formatMinutes, formatObjective, formatThreshold } from '../format';
import { apiErrors, placedIds, placeErrors, unplacedMessage } from '../form/form-errors';
import { controlA11y, ErrorSummary, Field, fieldMessage, InlineError, zodFieldErrors, type FieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { NameAndSlugFields } from '../form/name-slug-fields';
import { fractionToPercent, numberOf, percentToFraction } from '../form/values';
import { otelDraftOf, otelLocalErrors, otelLocate, otelSliOf, type OtelDraft } from '../otel/otel-draft';
import { OtelSliFields } from '../otel/otel-sli-fields';
import { useOtelCatalog } from '../otel/use-otel-catalog';
import { useBrowserTimeZone, useHydrated } from '../use-hydrated';
import { PrometheusSliFields, promDraftOf, promLocalErrors, promLocate, promSliOf, type PromDraft } from './prometheus-sli-fields';
import { SliPreviewPanel } from './sli-preview';
import {
  tierDraftOf,
  tierRows,
  windowDefaultTiers,
  withPolicy,
  withTierAdded,
  withTierChanged,
  withTierRemoved,
  withWindow,
  withWindowDefaults,
  type PeriodContext,
  type TierDraft,
  type TierRow,
  type WindowFields,
} from './tier-draft';

type Unit = WindowFields['calendarUnit'];

interface LabelRow {
  key: number;
  name: string;
  value: string;
}

interface Draft extends TierDraft {
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
}

/** Nominal period lengths, for the budget preview only; the server uses the calendar's real one. */
const CALENDAR_DAYS: Record<Unit, number> = { week: 7, month: 30, quarter: 91 };

function periodMinutesOf(draft: Draft): number | null {
  if (draft.windowKind === 'rolling') {
    const days = numberOf(draft.rollingDays);
    return Number.isInteger(days) && days >= 1 && days <= 90 ? days * 1440 : null;
  }
  return CALENDAR_DAYS[draft.calendarUnit] * 1440;
}

function draftOf(slo: Slo | undefined, datasources: readonly DataSource[], ctx: PeriodContext): Draft {
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
    seq: 100,
  };
}

/** The SLI as typed, for the schema to judge (a Prometheus draft may not be a valid SLI yet). */
function sliOf(draft: Draft): Record<string, unknown> {
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
function bodyOf(draft: Draft, browserZone: string): SloInputDraft {
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
    alertPolicy:
      draft.policy === 'default'
        ? null
        : {
            tiers: draft.tiers.map((t) => ({
              severity: t.severity,
              longWindow: t.longWindow.trim(),
              shortWindow: t.shortWindow.trim(),
              burnRate: numberOf(t.burnRate),
            })),
          },
    minEvents: numberOf(draft.minEvents),
    labels: Object.fromEntries(draft.labels.filter((l) => l.name.trim() !== '' || l.value !== '').map((l) => [l.name.trim(), l.value])),
  };
}

/** Percent fields hold fractions in the schema; their messages are rewritten in the units the user typed. */
function rewriteIssue(issue: z.core.$ZodIssue): string | undefined {
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
  if (path === 'sli.seed' && issue.code === 'too_small') return 'is required';
  if (path === 'sli.thresholdSeconds' && issue.code === 'invalid_type') return 'must be a number of seconds, e.g. 0.25';
  if (/^sli\.good\.\d+\.threshold$/.test(path) && issue.code === 'invalid_type') return 'is required: choose a bucket boundary, or type one in the metric’s unit';
  if (issue.code === 'invalid_type' && /number|NaN/i.test(issue.message)) return 'must be a number';
  return undefined;
}

/** Where each error path is shown: its control's id and the label its message starts with. */
function locate(path: string, draft: Draft): { id: string; label: string } | null {
  const fixed: Record<string, { id: string; label: string }> = {
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
    minEvents: { id: 'slo-min-events', label: 'Minimum events' },
    labels: { id: 'slo-labels-add', label: 'Labels' },
  };
  if (fixed[path]) return fixed[path];
  if (draft.source === 'prometheus' && path.startsWith('sli.')) return promLocate(path, draft.prom);
  if (draft.source === 'otel' && path.startsWith('sli.')) return otelLocate(path, draft.otel);
  const tier = /^alertPolicy\.tiers\.(\d+)\.(severity|longWindow|shortWindow|burnRate)$/.exec(path);
  if (tier) {
    const row = draft.tiers[Number(tier[1])];
    const names = { severity: 'Severity', longWindow: 'Long window', shortWindow: 'Short window', burnRate: 'Burn-rate threshold' } as const;
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
function isFieldError(error: unknown): boolean {
  return error instanceof ApiRequestError && Object.keys(error.fields).some((path) => path.startsWith('sli.'));
}

/**
 * Checks the schema cannot make: a label named twice would silently keep only the last value; an
 * OpenTelemetry latency condition on a metric Umpire knows is not a histogram.
 */
function localErrors(draft: Draft, otelCatalog: readonly OtelMetricSummary[] | undefined): FieldErrors {
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

export interface SloFormProps {
  service: string;
  /** The SLO being edited; absent on create. */
  slo?: Slo;
  /** Registered data sources, as the server rendered them; refreshed when the tab regains focus. */
  datasources: DataSource[];
  /** When the page was rendered (ISO): a calendar window's default tiers are for the period containing it. */
  asOf: string;
}

/**
 * Create or edit an SLO with every field of the SloInput schema. The objective is typed as a percentage and
 * sent as a fraction; validation is the shared schema on submit plus the API's field errors.
 */
export function SloForm({ service, slo, datasources: initialDatasources, asOf }: SloFormProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const editing = slo !== undefined;
  const browserZone = useBrowserTimeZone();
  const hydrated = useHydrated();
  const ctx: PeriodContext = { asOf: new Date(asOf), browserZone };
  const [draft, setDraft] = useState<Draft>(() => draftOf(slo, initialDatasources, ctx));
  // A data source added in another tab shows up here on return, without losing the draft.
  const datasourcesQuery = useQuery({
    queryKey: datasourceKeys.all,
    queryFn: ({ signal }) => listDataSources(signal),
    initialData: initialDatasources,
    refetchOnMount: false,
  });
  const datasources = datasourcesQuery.data;
  // The same cache entry the OpenTelemetry fields read; here for the checks made on submit.
  const otelCatalog = useOtelCatalog({ metric: draft.otel.metric, enabled: draft.source === 'otel' }).catalog;
  const { errors, formError, show, showApiError, clear, setErrors } = useFormErrors((fields) => placedIds(fields, (path) => locate(path, draft)));

  const mutation = useMutation({
    mutationFn: (body: SloInput) => (slo ? updateSlo(service, slo.slug, body) : createSlo(service, body)),
    onSuccess: (saved) => {
      // Figures computed under the old definition must not be shown for the new one.
      if (slo) queryClient.removeQueries({ queryKey: sloKeys.detail(service, slo.slug) });
      queryClient.removeQueries({ queryKey: sloKeys.detail(service, saved.slug) });
      router.push(`/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(saved.slug)}`);
      router.refresh();
    },
    onError: (error) => showApiError(error, (path) => locate(path, draft) !== null),
  });

  function set<K extends keyof Draft>(key: K, value: Draft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  /** Window fields go through here: custom tiers not yet edited follow the window's period. */
  function setWindow(patch: Partial<WindowFields>) {
    setDraft((d) => withWindow(d, patch, ctx));
  }

  // The preview runs the SLI as typed, before the SLO exists; previewed remembers which SLI it ran.
  const [previewed, setPreviewed] = useState<string | null>(null);
  const preview = useMutation({
    mutationFn: (sli: SliSpec) => previewSli(sli),
    onError: (error) => {
      // A 422 names SLI fields (an unknown data source); those go to their fields like a submit's would.
      const { fields } = apiErrors(error, (path) => path.startsWith('sli.') && locate(path, draft) !== null);
      if (Object.keys(fields).length > 0) show({ ...withoutSliErrors(errors), ...fields }, formError);
    },
  });

  function withoutSliErrors(current: FieldErrors): FieldErrors {
    return Object.fromEntries(Object.entries(current).filter(([path]) => path !== 'sli' && !path.startsWith('sli.')));
  }

  function onPreview() {
    const sli = sliOf(draft);
    const parsed = SliPreviewRequest.safeParse({ sli });
    const local = Object.fromEntries(Object.entries(localErrors(draft, otelCatalog)).filter(([path]) => path.startsWith('sli.')));
    const fields = { ...(parsed.success ? {} : zodFieldErrors(parsed.error, rewriteIssue)), ...local };
    const others = withoutSliErrors(errors);
    if (!parsed.success || Object.keys(local).length > 0) {
      preview.reset();
      show({ ...others, ...fields }, formError);
      return;
    }
    setErrors(others);
    setPreviewed(JSON.stringify(sli));
    preview.mutate(parsed.data.sli);
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = bodyOf(draft, browserZone);
    const local = localErrors(draft, otelCatalog);
    const parsed = editing ? SloPatch.safeParse(body) : SloInput.safeParse(body);
    const schemaErrors = parsed.success ? {} : zodFieldErrors(parsed.error, rewriteIssue);
    const fields = { ...schemaErrors, ...local };
    if (Object.keys(fields).length > 0) {
      show(fields);
      return;
    }
    clear();
    mutation.mutate(SloInput.parse(body));
  }

  // Errors shown by field id; the summary lists them in the order the API or schema gave them.
  const { byId, summary } = placeErrors(errors, (path) => {
    const emptyLabel = /^labels\.(\d+)#empty$/.exec(path);
    return emptyLabel ? { id: `slo-label-${emptyLabel[1]}-name`, label: 'Label' } : locate(path, draft);
  });
  const unlocated = unplacedMessage(errors, summary.length, 'The SLO');
  const err = (id: string) => byId.get(id);
  const a11y = (id: string) => controlA11y(id, err(id));

  const objective = percentToFraction(draft.objectivePct);
  const objectiveValid = objective > 0 && objective < 1;
  const period = periodMinutesOf(draft);
  const periodText =
    draft.windowKind === 'rolling' ? `${draft.rollingDays.trim()} days` : draft.calendarUnit === 'month' ? '30-day month' : draft.calendarUnit === 'week' ? 'week' : '91-day quarter';
  const defaultTiers = windowDefaultTiers(draft, ctx);
  // Timeslices: the tier windows shorter than a slice, which measure the slice they fall in (the form says so).
  const sliceLength = draft.budgeting === 'timeslices' ? numberOf(draft.sliceMinutes) : NaN;
  const shortSliceWindows = Number.isInteger(sliceLength)
    ? [
        ...new Set(
          (draft.policy === 'default' ? defaultTiers : draft.tiers)
            .flatMap((t) => [t.longWindow, t.shortWindow])
            .filter((w) => Number.isFinite(durationMinutes(w.trim())) && durationMinutes(w.trim()) < sliceLength),
        ),
      ]
    : [];
  const zone = draft.timeZone ?? browserZone;
  const zones = hydrated && typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const cancelHref = slo ? `/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo.slug)}` : `/services/${encodeURIComponent(service)}`;

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label={editing ? 'Edit SLO' : 'New SLO'}>
      <ErrorSummary message={formError ?? unlocated} items={summary} />

      <fieldset className="form-section">
        <legend>Basics</legend>
        <p className="form-section-intro">What this SLO promises, in a sentence a customer would recognise.</p>
        <NameAndSlugFields
          idPrefix="slo"
          name={draft.name}
          slug={draft.slug}
          editing={editing}
          onChange={(next) => setDraft((d) => ({ ...d, ...next }))}
          errors={{ name: err('slo-name'), slug: err('slo-slug') }}
          placeholders={{ name: 'Checkout availability', slug: 'availability' }}
          slugHint={editing ? 'Changing it changes the SLO’s URL and API path.' : 'Used in URLs and the API. Suggested from the name.'}
        />
        <Field id="slo-description" label="Description" optional error={err('slo-description')}>
          {(a) => <textarea {...a} rows={2} value={draft.description} placeholder="Share of checkout requests answered without a 5xx." onChange={(e) => set('description', e.target.value)} />}
        </Field>
      </fieldset>

      <fieldset className="form-section">
        <legend>Objective and window</legend>
        <p className="form-section-intro">The share of good events to aim for, and the period it is measured over.</p>
        <div className="field-row two">
          <Field
            id="slo-objective"
            label="Objective"
            error={err('slo-objective')}
            hint="A percentage of good events, e.g. 99.9 (stored as the fraction 0.999)."
          >
            {(a) => (
              <div className="input-suffix">
                <input {...a} type="text" inputMode="decimal" autoComplete="off" value={draft.objectivePct} onChange={(e) => set('objectivePct', e.target.value)} />
                <span aria-hidden="true">%</span>
              </div>
            )}
          </Field>
          <div className="field">
            <span className="field-label">Error budget</span>
            <p className="implied" aria-live="polite" data-testid="implied-budget">
              {objectiveValid && period ? (
                <>
                  <strong>{formatObjective(1 - objective)}</strong> of {draft.budgeting === 'timeslices' ? 'slices' : 'events'} may fail, the
                  equivalent of <strong>{formatMinutes(allowedErrorMinutes(objective, period))} per {periodText}</strong> of full outage.
                </>
              ) : (
                'Enter an objective between 0 and 100% and a valid window to see the budget it implies.'
              )}
            </p>
          </div>
        </div>

        <fieldset className="choice-group" style={{ marginTop: 16 }}>
          <legend>Window</legend>
          <div className="choices">
            <label className="choice">
              <input id="slo-window-rolling" type="radio" name="window" checked={draft.windowKind === 'rolling'} onChange={() => setWindow({ windowKind: 'rolling' })} />
              <span>
                <strong>Rolling</strong>
                <small>The last N days, moving with time.</small>
              </span>
            </label>
            <label className="choice">
              <input id="slo-window-calendar" type="radio" name="window" checked={draft.windowKind === 'calendar'} onChange={() => setWindow({ windowKind: 'calendar' })} />
              <span>
                <strong>Calendar</strong>
                <small>This week, month or quarter; the budget resets at its start.</small>
              </span>
            </label>
          </div>
        </fieldset>
        {draft.windowKind === 'rolling' ? (
          <div className="field-row three">
            <Field id="slo-days" label="Days" error={err('slo-days')} hint="1 to 90.">
              {(a) => <input {...a} type="text" inputMode="numeric" value={draft.rollingDays} onChange={(e) => setWindow({ rollingDays: e.target.value })} />}
            </Field>
          </div>
        ) : (
          <div className="field-row two">
            <Field id="slo-unit" label="Calendar period" error={err('slo-unit')}>
              {(a) => (
                <select {...a} value={draft.calendarUnit} onChange={(e) => setWindow({ calendarUnit: e.target.value as Unit })}>
                  <option value="week">Week (from Monday)</option>
                  <option value="month">Month</option>
                  <option value="quarter">Quarter</option>
                </select>
              )}
            </Field>
            <Field id="slo-timezone" label="Time zone" error={err('slo-timezone')} hint="IANA name; defaults to your browser’s zone.">
              {(a) => (
                <>
                  <input {...a} type="text" list="slo-timezones" autoComplete="off" spellCheck={false} value={zone} onChange={(e) => setWindow({ timeZone: e.target.value })} />
                  <datalist id="slo-timezones">
                    {zones.map((z) => (
                      <option key={z} value={z} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
          </div>
        )}
      </fieldset>

      <fieldset className="form-section">
        <legend>Budgeting</legend>
        <p className="form-section-intro">How failures spend the budget.</p>
        <fieldset className="choice-group">
          <legend className="visually-hidden">Budgeting method</legend>
          <div className="choices">
            <label className="choice">
              <input id="slo-budgeting-occurrences" type="radio" name="budgeting" checked={draft.budgeting === 'occurrences'} onChange={() => set('budgeting', 'occurrences')} />
              <span>
                <strong>Occurrences</strong>
                <small>SLI = good events / all events. Busy hours weigh more.</small>
              </span>
            </label>
            <label className="choice">
              <input id="slo-budgeting-timeslices" type="radio" name="budgeting" checked={draft.budgeting === 'timeslices'} onChange={() => set('budgeting', 'timeslices')} />
              <span>
                <strong>Time slices</strong>
                <small>A slice is good when its own SLI meets a threshold; SLI = good slices / slices with data.</small>
              </span>
            </label>
          </div>
        </fieldset>
        {draft.budgeting === 'timeslices' ? (
          <div className="field-row two">
            <Field id="slo-slice-minutes" label="Slice length" error={err('slo-slice-minutes')} hint="Whole minutes, 1 to 60.">
              {(a) => (
                <div className="input-suffix">
                  <input {...a} type="text" inputMode="numeric" value={draft.sliceMinutes} onChange={(e) => set('sliceMinutes', e.target.value)} />
                  <span aria-hidden="true">min</span>
                </div>
              )}
            </Field>
            <Field id="slo-slice-threshold" label="Slice threshold" error={err('slo-slice-threshold')} hint="A slice is good when at least this share of its events is good.">
              {(a) => (
                <div className="input-suffix">
                  <input {...a} type="text" inputMode="decimal" value={draft.sliceThresholdPct} onChange={(e) => set('sliceThresholdPct', e.target.value)} />
                  <span aria-hidden="true">%</span>
                </div>
              )}
            </Field>
          </div>
        ) : null}
      </fieldset>

      <fieldset className="form-section">
        <legend>SLI source</legend>
        <p className="form-section-intro">Where good and total events come from.</p>
        <fieldset className="choice-group" aria-describedby={err(`slo-source-${draft.source}`) ? 'slo-source-error' : undefined}>
          <legend>Source</legend>
          <div className="choices">
            <label className="choice">
              <input id="slo-source-demo" type="radio" name="source" checked={draft.source === 'demo'} onChange={() => set('source', 'demo')} />
              <span>
                <strong>Demo</strong>
                <small>Synthetic traffic with incidents, labelled “Demo data” everywhere.</small>
              </span>
            </label>
            <label className="choice">
              <input id="slo-source-prometheus" type="radio" name="source" checked={draft.source === 'prometheus'} onChange={() => set('source', 'prometheus')} />
              <span>
                <strong>Prometheus</strong>
                <small>Counters or a histogram from Prometheus, Thanos, Mimir, Cortex or VictoriaMetrics.</small>
              </span>
            </label>
            <label className="choice">
              <input id="slo-source-otel" type="radio" name="source" checked={draft.source === 'otel'} onChange={() => set('source', 'otel')} />
              <span>
                <strong>OpenTelemetry (OTLP push)</strong>
                <small>Counters or histograms your services push to Umpire with an OpenTelemetry SDK or Collector.</small>
              </span>
            </label>
          </div>
          <InlineError id="slo-source-error" message={err(`slo-source-${draft.source}`) ? fieldMessage('SLI source', err(`slo-source-${draft.source}`)!) : undefined} />
        </fieldset>

        {draft.source === 'demo' ? (
          <>
            <fieldset className="choice-group" style={{ marginTop: 14 }}>
              <legend>Profile</legend>
              <div className="choices">
                <label className="choice">
                  <input id="slo-profile-availability" type="radio" name="profile" checked={draft.profile === 'availability'} onChange={() => set('profile', 'availability')} />
                  <span>
                    <strong>Availability</strong>
                    <small>Errors are failed requests.</small>
                  </span>
                </label>
                <label className="choice">
                  <input id="slo-profile-latency" type="radio" name="profile" checked={draft.profile === 'latency'} onChange={() => set('profile', 'latency')} />
                  <span>
                    <strong>Latency</strong>
                    <small>Errors are requests slower than the threshold.</small>
                  </span>
                </label>
              </div>
            </fieldset>
            <div className="field-row three">
              <Field id="slo-epm" label="Events per minute" error={err('slo-epm')} hint="Mean at the daily peak.">
                {(a) => <input {...a} type="text" inputMode="decimal" value={draft.eventsPerMinute} onChange={(e) => set('eventsPerMinute', e.target.value)} />}
              </Field>
              <Field id="slo-baseline" label="Baseline error ratio" error={err('slo-baseline')} hint="A fraction outside incidents: 0.0003 = 0.03%.">
                {(a) => <input {...a} type="text" inputMode="decimal" value={draft.baselineErrorRatio} onChange={(e) => set('baselineErrorRatio', e.target.value)} />}
              </Field>
              <Field id="slo-seed" label="Seed" error={err('slo-seed')} hint="Same seed, same traffic and incidents.">
                {(a) => <input {...a} type="text" autoComplete="off" spellCheck={false} value={draft.seed} onChange={(e) => set('seed', e.target.value)} />}
              </Field>
            </div>
          </>
        ) : draft.source === 'otel' ? (
          <OtelSliFields value={draft.otel} onChange={(update) => setDraft((d) => ({ ...d, otel: update(d.otel) }))} err={err} />
        ) : (
          <>
            <PrometheusSliFields value={draft.prom} onChange={(update) => setDraft((d) => ({ ...d, prom: update(d.prom) }))} datasources={datasources} err={err} />
            <SliPreviewPanel
              onPreview={onPreview}
              pending={preview.isPending}
              result={preview.data}
              error={preview.isError && !isFieldError(preview.error) ? errorMessage(preview.error) : null}
              changed={previewed !== null && previewed !== JSON.stringify(sliOf(draft))}
              objective={objectiveValid ? objective : null}
            />
          </>
        )}
      </fieldset>

      <fieldset className="form-section">
        <legend>Alert policy</legend>
        <p className="form-section-intro">Multi-window, multi-burn-rate alerts: a tier fires when both its windows burn faster than its threshold.</p>
        <fieldset className="choice-group">
          <legend className="visually-hidden">Policy</legend>
          <div className="choices">
            <label className="choice">
              <input id="slo-policy-default" type="radio" name="policy" checked={draft.policy === 'default'} onChange={() => setDraft((d) => withPolicy(d, 'default', ctx))} />
              <span>
                <strong>Default</strong>
                <small>The SRE Workbook’s four tiers (Sloth’s budget shares for short periods), scaled to the window’s period, never below 1×.</small>
              </span>
            </label>
            <label className="choice">
              <input
                id="slo-policy-custom"
                type="radio"
                name="policy"
                checked={draft.policy === 'custom'}
                onChange={() => setDraft((d) => withPolicy(d, 'custom', ctx))}
              />
              <span>
                <strong>Custom</strong>
                <small>Your own tiers, starting from this window’s defaults.</small>
              </span>
            </label>
          </div>
        </fieldset>
        {draft.policy === 'default' ? (
          <p className="implied" style={{ marginTop: 12 }}>
            {defaultTiers.length > 0
              ? defaultTiers.map((t) => `${t.severity} ${t.longWindow}/${t.shortWindow} > ${formatThreshold(t.burnRate)}`).join(' · ')
              : 'Set a valid window to see the default tiers.'}
            {draft.windowKind === 'calendar' && defaultTiers.length > 0 ? ` (for the current ${draft.calendarUnit}; thresholds follow each period’s actual length)` : ''}
          </p>
        ) : (
          <>
            <table className="rows-table" aria-label="Custom alert tiers">
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Long window</th>
                  <th scope="col">Short window</th>
                  <th scope="col">Burn-rate threshold</th>
                  <th scope="col">
                    <span className="visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.tiers.map((tier, i) => {
                  const id = (f: string) => `slo-tier-${tier.key}-${f}`;
                  const setTier = (patch: Partial<Omit<TierRow, 'key'>>) => setDraft((d) => withTierChanged(d, tier.key, patch));
                  return (
                    <tr key={tier.key}>
                      <td>
                        <select {...a11y(id('severity'))} aria-label={`Tier ${i + 1} severity`} value={tier.severity} onChange={(e) => setTier({ severity: e.target.value as 'page' | 'ticket' })}>
                          <option value="page">Page</option>
                          <option value="ticket">Ticket</option>
                        </select>
                        <InlineError id={`${id('severity')}-error`} message={err(id('severity'))} />
                      </td>
                      <td>
                        <input {...a11y(id('longWindow'))} aria-label={`Tier ${i + 1} long window`} type="text" className="mono" value={tier.longWindow} placeholder="1h" onChange={(e) => setTier({ longWindow: e.target.value })} />
                        <InlineError id={`${id('longWindow')}-error`} message={err(id('longWindow'))} />
                      </td>
                      <td>
                        <input {...a11y(id('shortWindow'))} aria-label={`Tier ${i + 1} short window`} type="text" className="mono" value={tier.shortWindow} placeholder="5m" onChange={(e) => setTier({ shortWindow: e.target.value })} />
                        <InlineError id={`${id('shortWindow')}-error`} message={err(id('shortWindow'))} />
                      </td>
                      <td>
                        <input {...a11y(id('burnRate'))} aria-label={`Tier ${i + 1} burn-rate threshold`} type="text" inputMode="decimal" value={tier.burnRate} placeholder="14.4" onChange={(e) => setTier({ burnRate: e.target.value })} />
                        <InlineError id={`${id('burnRate')}-error`} message={err(id('burnRate'))} />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="btn btn-ghost btn-sm"
                          aria-label={`Remove tier ${i + 1}`}
                          onClick={() => setDraft((d) => withTierRemoved(d, tier.key))}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p className="field-hint">Windows are whole minutes, hours or days (5m, 1h, 3d); the short window must be shorter than the long one.</p>
            <div className="form-actions" style={{ marginTop: 10 }}>
              <button
                id="slo-tiers-add"
                type="button"
                className="btn btn-secondary btn-sm"
                aria-describedby={err('slo-tiers-add') ? 'slo-tiers-add-error' : undefined}
                onClick={() => setDraft((d) => withTierAdded(d))}
              >
                Add tier
              </button>
              <button type="button" className="btn btn-ghost btn-sm" disabled={defaultTiers.length === 0} onClick={() => setDraft((d) => withWindowDefaults(d, ctx))}>
                Reset to this window’s defaults
              </button>
            </div>
            <InlineError id="slo-tiers-add-error" message={err('slo-tiers-add') ? fieldMessage('Alert tiers', err('slo-tiers-add')!) : undefined} />
          </>
        )}
        {shortSliceWindows.length > 0 ? (
          <p className="implied" data-testid="slice-window-note">
            With {draft.sliceMinutes}-minute slices, the {shortSliceWindows.join(' and ')} {shortSliceWindows.length === 1 ? 'window measures' : 'windows measure'} the
            slice {shortSliceWindows.length === 1 ? 'it falls' : 'they fall'} in: every slice counts with the share of it inside a window, and the running slice is
            judged on its minutes so far, so a total outage still pages from its first minutes.
          </p>
        ) : null}
        <div className="field-row two">
          <Field
            id="slo-min-events"
            label="Minimum events"
            error={err('slo-min-events')}
            hint="A tier fires only when its long window holds at least this many events, and the release gate judges the budget only with this many in the window: a handful of requests cannot page anyone. 0 turns the guard off."
          >
            {(a) => <input {...a} type="text" inputMode="numeric" value={draft.minEvents} onChange={(e) => set('minEvents', e.target.value)} />}
          </Field>
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Labels</legend>
        <p className="form-section-intro">Key=value pairs for grouping and routing, e.g. team=payments.</p>
        {draft.labels.length > 0 ? (
          <table className="rows-table" aria-label="Labels">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.labels.map((label, i) => {
                const nameId = `slo-label-${label.key}-name`;
                const setLabel = (patch: Partial<LabelRow>) => setDraft((d) => ({ ...d, labels: d.labels.map((l) => (l.key === label.key ? { ...l, ...patch } : l)) }));
                return (
                  <tr key={label.key}>
                    <td>
                      <input {...a11y(nameId)} aria-label={`Label ${i + 1} key`} type="text" className="mono" value={label.name} placeholder="team" onChange={(e) => setLabel({ name: e.target.value })} />
                      <InlineError id={`${nameId}-error`} message={err(nameId) ? `Key ${err(nameId)}` : undefined} />
                    </td>
                    <td>
                      <input id={`slo-label-${label.key}-value`} aria-label={`Label ${i + 1} value`} type="text" value={label.value} placeholder="payments" onChange={(e) => setLabel({ value: e.target.value })} />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-ghost btn-sm"
                        aria-label={`Remove label ${i + 1}`}
                        onClick={() => setDraft((d) => ({ ...d, labels: d.labels.filter((l) => l.key !== label.key) }))}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
        <div className="form-actions" style={{ marginTop: 10 }}>
          <button
            id="slo-labels-add"
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => setDraft((d) => ({ ...d, seq: d.seq + 1, labels: [...d.labels, { key: d.seq, name: '', value: '' }] }))}
          >
            Add label
          </button>
        </div>
        <InlineError id="slo-labels-add-error" message={err('slo-labels-add') ? fieldMessage('Labels', err('slo-labels-add')!) : undefined} />
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending
            ? editing
              ? 'Saving…'
              : draft.source === 'demo'
                ? 'Creating… (filling 90 days of history)'
                : 'Creating…'
            : editing
              ? 'Save changes'
              : 'Create SLO'}
        </button>
        <Link href={cancelHref} className="btn btn-ghost">
          Cancel
        </Link>
      </div>
    </form>
  );
}
