import { z } from 'zod';
import { AlertTier, Severity, SliSpec } from './slo';

export const DataState = z.enum(['ok', 'no_data', 'partial']);
export type DataState = z.infer<typeof DataState>;

/** Burn rate per window, keyed by duration ("5m", "1h"); null when the window has no events. */
export const BurnRates = z.record(z.string(), z.number().nullable());
export type BurnRates = z.infer<typeof BurnRates>;

export const AlertStatus = z.object({
  severity: Severity,
  longWindow: z.string(),
  shortWindow: z.string(),
  threshold: z.number(),
  /** The tier's `for`: its condition must hold this long before the alert fires. */
  for: z.string().optional(),
  longBurnRate: z.number().nullable(),
  shortBurnRate: z.number().nullable(),
  /** Events in the long window, and whether they are too few for the tier to fire (the SLO's minEvents guard). */
  longEvents: z.number(),
  guarded: z.boolean(),
  firing: z.boolean(),
});
export type AlertStatus = z.infer<typeof AlertStatus>;

/** A count as stored: NaN and infinities are spelled as Prometheus spells them, since JSON has no such numbers. */
export const StoredCount = z.union([z.number(), z.enum(['NaN', '+Inf', '-Inf'])]);

/** Why a minute is left out of the figures: impossible counts, or a fault its source found in the data. */
export const FaultReason = z.enum(['good_above_total', 'not_a_number', 'infinite', 'negative', 'histogram_bucket_missing']);
export type FaultReason = z.infer<typeof FaultReason>;

export const DataQualityFault = z.object({
  /** Start of the offending minute bucket. */
  start: z.iso.datetime(),
  good: StoredCount,
  total: StoredCount,
  reason: FaultReason,
});
export type DataQualityFault = z.infer<typeof DataQualityFault>;

/** Consecutive faulty minutes of one reason: [from, to). */
export const FaultSpan = z.object({ reason: FaultReason, from: z.iso.datetime(), to: z.iso.datetime(), minutes: z.number().int() });
export type FaultSpan = z.infer<typeof FaultSpan>;

/** The SLO window's faulty minutes, all left out of its figures. */
export const DataQuality = z.object({
  /** Faulty minutes in the window. */
  faultCount: z.number().int(),
  /** The newest faulty minutes (at most 50), newest first. */
  faults: z.array(DataQualityFault),
  /** The listed minutes as runs of one reason, newest first. */
  spans: z.array(FaultSpan),
});
export type DataQuality = z.infer<typeof DataQuality>;

/** A gap in the backend's samples whose events were counted when samples came back, in the minute after it. */
export const CarriedGap = z.object({ from: z.iso.datetime(), to: z.iso.datetime(), good: z.number(), total: z.number() });
export type CarriedGap = z.infer<typeof CarriedGap>;

/** What the evaluator knows about an SLO: freshness, failures, backfill and data quality. */
export const EvaluationState = z.object({
  lastSuccessAt: z.iso.datetime().nullable(),
  /** Buckets are complete up to here; set while the source fails ("stale since T"), null when current. */
  staleSince: z.iso.datetime().nullable(),
  lastError: z.object({ kind: z.string(), message: z.string(), at: z.iso.datetime() }).nullable(),
  /**
   * History: buckets are complete from `completeFrom` to `to`; backfill fills backwards, newest first, until
   * `from` (90 days back). progress = share of [from, to] complete; null before the first evaluation.
   */
  backfill: z.object({ from: z.iso.datetime(), completeFrom: z.iso.datetime(), to: z.iso.datetime(), progress: z.number().min(0).max(1) }).nullable(),
  /** The whole history is being read again (POST .../backfill): newest first, down to `from`; figures stay whole. */
  reread: z.object({ from: z.iso.datetime(), until: z.iso.datetime(), progress: z.number().min(0).max(1) }).nullable(),
});
export type EvaluationState = z.infer<typeof EvaluationState>;

/** GET .../slos/{slo}/status */
export const SloStatus = z.object({
  service: z.string(),
  slo: z.string(),
  source: z.string(),
  objective: z.number(),
  window: z.object({
    kind: z.enum(['rolling', 'calendar']),
    /** Start of the period's data considered: rolling = asOf - days; calendar = start of the current period. */
    from: z.iso.datetime(),
    /** asOf: the end of the last whole minute. */
    to: z.iso.datetime(),
    /** End of the whole period (calendar: when the budget resets; rolling: equals `to`). */
    periodEnd: z.iso.datetime(),
    periodMinutes: z.number(),
    days: z.number().optional(),
    unit: z.enum(['week', 'month', 'quarter']).optional(),
    timeZone: z.string().optional(),
  }),
  budgeting: z.enum(['occurrences', 'timeslices']),
  /** Traffic-weighted SLI over the window (timeslices: good slices / slices with data); null without data. */
  sli: z.number().nullable(),
  good: z.number(),
  total: z.number(),
  /** Timeslice budgeting only: slices that met the threshold, and slices that had data. */
  slices: z.object({ good: z.number(), total: z.number() }).optional(),
  errorBudget: z.object({
    consumed: z.number().nullable(),
    remaining: z.number().nullable(),
    /** (1 - objective) x period, in minutes: "43.2 min of errors" for 99.9% over 30 days. */
    allowedMinutes: z.number(),
  }),
  burnRates: BurnRates,
  alerts: z.array(AlertStatus),
  /** Seconds until the remaining budget is spent at the last hour's burn rate; null when not burning or no data. */
  timeToExhaustion: z.number().nullable(),
  dataState: DataState,
  /** Start of the oldest bucket this SLO has, or null if none. */
  dataSince: z.iso.datetime().nullable(),
  /** Share of the window's minutes that were measured: a usable bucket (0 to 1). */
  coverage: z.number().min(0).max(1),
  /** What the window's figures rest on: measured minutes and events, out of the window's minutes. */
  measured: z.object({ minutes: z.number(), windowMinutes: z.number(), events: z.number() }),
  /**
   * Provisional: the window is only partly measured (the SLO's data begins inside it, or its history is still
   * being read), or holds fewer events than minEvents. Its figures are shown, marked, and the gate's policy decides.
   */
  provisional: z.boolean(),
  /** Why the figures are provisional, in a sentence; null when they are not. */
  provisionalReason: z.string().nullable(),
  /** A tier fires, and the gate judges the budget, only with at least this many events in the window. */
  minEvents: z.number().int(),
  /** The window's faulty minutes, left out of every figure. */
  dataQuality: DataQuality,
  /** Gaps in the backend's samples within the window whose events were counted in the minute after them. */
  carriedGaps: z.array(CarriedGap),
  evaluation: EvaluationState,
  /**
   * The minute every figure is as of: the end of the last minute whose data has been read (never later than the
   * last whole minute, or `at` when one was asked for).
   */
  asOf: z.iso.datetime(),
  /** Minutes after asOf up to now that have not been read yet (the evaluator reads each minute after it ends). */
  unread: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).nullable(),
});
export type SloStatus = z.infer<typeof SloStatus>;

/** The most points one series request may ask for. */
export const MAX_SERIES_POINTS = 2000;

/** An instant as ISO 8601 ("2026-11-26T14:00:00Z") or Unix seconds, as Prometheus' API accepts. */
export const Instant = z.string().transform((value, ctx) => {
  const seconds = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value);
  if (!Number.isFinite(ms) || (Number.isNaN(seconds) && !/^\d{4}-\d{2}-\d{2}/.test(value))) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time or Unix seconds' });
    return z.NEVER;
  }
  return new Date(ms);
});

/**
 * `?at=` on status, services and SLI preview: figures as of that minute, from stored buckets. Not in the future
 * (a minute ahead is allowed for clock skew; figures never go past the last minute read).
 */
export const AtQuery = z.object({
  at: Instant.refine((d) => d.getTime() <= Date.now() + 60_000, { message: 'must not be in the future' }).optional(),
});
export type AtQuery = z.output<typeof AtQuery>;

/** A step as seconds ("300") or a duration ("5m"); whole minutes, since buckets are one minute. */
export const Step = z.string().transform((value, ctx) => {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
  const match = /^(\d+)([smhd]?)$/.exec(value);
  const seconds = match ? Number(match[1]) * (units[match[2] || 's'] ?? 1) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 60 || seconds % 60 !== 0) {
    ctx.addIssue({ code: 'custom', message: 'must be a whole number of minutes, as seconds (300) or a duration (5m)' });
    return z.NEVER;
  }
  return seconds;
});

/** Query of GET .../slos/{slo}/series. */
export const SeriesQuery = z
  .object({
    from: Instant,
    to: Instant,
    step: Step,
  })
  .refine((q) => q.to.getTime() > q.from.getTime(), { message: 'must be after from', path: ['to'] })
  .refine((q) => (q.to.getTime() - q.from.getTime()) / (q.step * 1000) <= MAX_SERIES_POINTS, {
    message: `gives more than ${MAX_SERIES_POINTS} points for this range; use a larger step`,
    path: ['step'],
  });
export type SeriesQuery = z.output<typeof SeriesQuery>;

export const SeriesPoint = z.object({
  /** End of the step this point describes (the step covers [t - step, t)). */
  t: z.iso.datetime(),
  /** SLI over this step alone; null when the step had no events. */
  sli: z.number().nullable(),
  good: z.number(),
  total: z.number(),
  /** SLI over the SLO window ending at t. */
  windowSli: z.number().nullable(),
  /** Error budget remaining over the SLO window ending at t (1 = untouched, negative = overspent). */
  budgetRemaining: z.number().nullable(),
  /** Burn rate at t over each tier's long and short window. */
  burnRates: BurnRates,
});
export type SeriesPoint = z.infer<typeof SeriesPoint>;

export const SloSeries = z.object({
  service: z.string(),
  slo: z.string(),
  objective: z.number(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  step: z.number().describe('seconds'),
  tiers: z.array(AlertTier),
  points: z.array(SeriesPoint),
});
export type SloSeries = z.infer<typeof SloSeries>;

/** Body of POST /api/v1/sli/preview: an SLI to run before the SLO is saved, as of now or of `at`. */
export const SliPreviewRequest = z.strictObject({ sli: SliSpec, at: AtQuery.shape.at });
export type SliPreviewRequest = z.infer<typeof SliPreviewRequest>;

export const SliPreview = z.object({
  at: z.iso.datetime(),
  /** Events over the last hour; null when the query has no data. */
  good: z.number().nullable(),
  total: z.number().nullable(),
  sliLastHour: z.number().nullable(),
  sliLastDay: z.number().nullable(),
  /** 24 hourly points, oldest first. */
  sparkline: z.array(z.object({ t: z.iso.datetime(), sli: z.number().nullable() })),
});
export type SliPreview = z.infer<typeof SliPreview>;

/** The preview, or why it failed: Prometheus's own error text when the query is wrong. */
export const SliPreviewResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), preview: SliPreview }),
  z.object({ ok: z.literal(false), error: z.object({ kind: z.string(), message: z.string() }) }),
]);
export type SliPreviewResult = z.infer<typeof SliPreviewResult>;
