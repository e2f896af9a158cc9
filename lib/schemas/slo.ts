import { z } from 'zod';
import { Duration, durationMinutes, Labels, ManagedBy, Slug, TimeZone } from './common';
import { OtelSli } from './otel';
import { PrometheusSli } from './prometheus';

export const RollingWindow = z.strictObject({
  kind: z.literal('rolling'),
  days: z
    .number({ error: 'must be a whole number of days from 1 to 90' })
    .int('must be a whole number of days from 1 to 90')
    .min(1, 'must be a whole number of days from 1 to 90')
    .max(90, 'must be a whole number of days from 1 to 90'),
});
export const CalendarWindow = z.strictObject({
  kind: z.literal('calendar'),
  unit: z.enum(['week', 'month', 'quarter'], { error: 'must be week, month or quarter' }),
  timeZone: TimeZone,
});
/** The SLO's compliance period: the last N days, or the current calendar week/month/quarter in a time zone. */
export const SloWindow = z.discriminatedUnion('kind', [RollingWindow, CalendarWindow], {
  error: 'kind must be rolling or calendar',
});
export type SloWindow = z.infer<typeof SloWindow>;
export const DEFAULT_WINDOW: SloWindow = { kind: 'rolling', days: 30 };

/**
 * Occurrences: SLI = good events / all events. Timeslices (OpenSLO): a slice is good when its own SLI meets
 * `threshold`; SLI = good slices / slices with data.
 */
export const Budgeting = z.discriminatedUnion(
  'method',
  [
    z.strictObject({ method: z.literal('occurrences') }),
    z.strictObject({
      method: z.literal('timeslices'),
      sliceMinutes: z.number().int('must be whole minutes').min(1, 'must be 1 to 60 minutes').max(60, 'must be 1 to 60 minutes'),
      threshold: z.number().gt(0, 'must be above 0').max(1, 'must be at most 1'),
    }),
  ],
  { error: 'method must be occurrences or timeslices' },
);
export type Budgeting = z.infer<typeof Budgeting>;

/** The built-in synthetic source: deterministic traffic with incidents, for trying Umpire out. */
export const DemoSli = z.strictObject({
  source: z.literal('demo'),
  /** availability: errors are failed requests; latency: errors are requests slower than the threshold. */
  profile: z.enum(['availability', 'latency'], { error: 'must be availability or latency' }),
  /** Mean events per minute at the daily peak. */
  eventsPerMinute: z.number().positive('must be above 0').max(1_000_000, 'must be at most 1,000,000').default(600),
  /** Error ratio outside incidents. */
  baselineErrorRatio: z.number().min(0, 'must be 0 or more').max(0.5, 'must be at most 0.5').default(0.0003),
  /** Changes the random traffic and the incident schedule; same seed, same data. */
  seed: z.string().min(1).max(64).default('umpire'),
});
export type DemoSli = z.infer<typeof DemoSli>;

/** How the SLI is measured, keyed by its source: pulled (demo, prometheus) or pushed to Umpire (otel). */
export const SliSpec = z.discriminatedUnion('source', [DemoSli, PrometheusSli, OtelSli], { error: 'source must be demo, prometheus or otel' });
export type SliSpec = z.infer<typeof SliSpec>;
export type SliSource = SliSpec['source'];

export const Severity = z.enum(['page', 'ticket'], { error: 'must be page or ticket' });
export type Severity = z.infer<typeof Severity>;

/** One multi-window burn-rate alert: fires when both windows burn faster than `burnRate` (SRE Workbook ch. 5). */
export const AlertTier = z
  .strictObject({
    severity: Severity,
    longWindow: Duration,
    shortWindow: Duration,
    burnRate: z.number().positive('must be above 0').max(10_000, 'must be at most 10000'),
    /** The condition must hold this long before the tier fires (Prometheus' `for`); absent: at once. */
    for: Duration.optional(),
  })
  .refine((tier) => durationMinutes(tier.shortWindow) < durationMinutes(tier.longWindow), {
    message: 'must be shorter than the long window',
    path: ['shortWindow'],
  })
  .refine((tier) => durationMinutes(tier.longWindow) <= 90 * 1440, {
    message: 'must be at most 90d',
    path: ['longWindow'],
  });
export type AlertTier = z.infer<typeof AlertTier>;

export const AlertPolicyInput = z.strictObject({
  /** Absent: the default four tiers, scaled to the window's period. */
  tiers: z.array(AlertTier).min(1, 'needs at least one tier').max(10, 'at most 10 tiers').optional(),
  /**
   * The budget-low alert fires when the measured budget left falls below this share (0.25: a quarter); null: no
   * budget-low alert for this SLO; absent: the installation's (UMPIRE_ALERT_BUDGET_LOW_SHARE).
   */
  budgetLowShare: z
    .number({ error: 'must be a share between 0 and 1, e.g. 0.25, or null for none' })
    .gt(0, 'must be above 0 (a share, e.g. 0.25), or null for no budget-low alert')
    .lt(1, 'must be below 1 (a share, e.g. 0.25)')
    .nullable()
    .optional(),
  /** The data-absent alert fires after this many minutes without events; absent: the installation's (UMPIRE_ALERT_ABSENT_MINUTES). */
  absentMinutes: z
    .number({ error: 'must be a whole number of minutes from 1 to 1440' })
    .int('must be a whole number of minutes from 1 to 1440')
    .min(1, 'must be a whole number of minutes from 1 to 1440')
    .max(1440, 'must be a whole number of minutes from 1 to 1440')
    .optional(),
});
export type AlertPolicyInput = z.infer<typeof AlertPolicyInput>;

export const Objective = z
  .number({ error: 'must be a fraction between 0 and 1, e.g. 0.999' })
  .gt(0, 'must be above 0 (a fraction, e.g. 0.999 for 99.9%)')
  .lt(1, 'must be below 1: an objective of 100% leaves no error budget');

/** Default of an SLO's minEvents (docs/slo-math.md, "Young and quiet SLOs"). */
export const DEFAULT_MIN_EVENTS = 100;
export const MinEvents = z
  .number({ error: 'must be a whole number of events from 0 to 1,000,000' })
  .int('must be a whole number of events from 0 to 1,000,000')
  .min(0, 'must be a whole number of events from 0 to 1,000,000')
  .max(1_000_000, 'must be a whole number of events from 0 to 1,000,000');

const sloFields = {
  slug: Slug,
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters'),
  objective: Objective,
  window: SloWindow,
  budgeting: Budgeting,
  sli: SliSpec,
  /** null or absent: the default four tiers, scaled to the window's period. */
  alertPolicy: AlertPolicyInput.nullable(),
  /**
   * The fewest events a tier's long window (and, for the release gate's budget rule, the SLO window) must hold for
   * its figure to be acted on: a guard against paging or blocking on a handful of events.
   */
  minEvents: MinEvents,
  labels: Labels,
};

/** Body of POST /api/v1/services/{service}/slos and of the "new SLO" form. */
export const SloInput = z.strictObject({
  ...sloFields,
  description: sloFields.description.default(''),
  window: sloFields.window.default(DEFAULT_WINDOW),
  budgeting: sloFields.budgeting.default({ method: 'occurrences' }),
  alertPolicy: sloFields.alertPolicy.default(null),
  minEvents: sloFields.minEvents.default(DEFAULT_MIN_EVENTS),
  labels: sloFields.labels.default({}),
});
export type SloInput = z.infer<typeof SloInput>;
export type SloInputDraft = z.input<typeof SloInput>;

/** Body of PATCH .../slos/{slo}: any subset of the fields; nested objects are replaced whole. */
export const SloPatch = z
  .strictObject(sloFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' });
export type SloPatch = z.infer<typeof SloPatch>;

/** An SLO as the API returns it; alertPolicy is the effective policy. */
export const Slo = z.object({
  service: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  objective: z.number(),
  window: SloWindow,
  budgeting: Budgeting,
  sli: SliSpec,
  alertPolicy: z.object({
    /** The tiers are the default four, scaled to the window. */
    isDefault: z.boolean(),
    tiers: z.array(AlertTier),
    /** The budget-low alert's share in force (null: none for this SLO); isDefault: the installation's. */
    budgetLow: z.object({ share: z.number().nullable(), isDefault: z.boolean() }),
    /** Minutes without events before the data-absent alert fires; isDefault: the installation's. */
    absent: z.object({ minutes: z.number().int(), isDefault: z.boolean() }),
  }),
  minEvents: z.number().int(),
  labels: Labels,
  /** Set when `umpire apply` manages it from git (docs/gitops.md); null when made by hand. */
  managedBy: ManagedBy.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Slo = z.infer<typeof Slo>;
