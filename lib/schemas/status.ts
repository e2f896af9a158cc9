import { z } from 'zod';
import { AlertTier, Severity } from './slo';

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
  longBurnRate: z.number().nullable(),
  shortBurnRate: z.number().nullable(),
  firing: z.boolean(),
});
export type AlertStatus = z.infer<typeof AlertStatus>;

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
  asOf: z.iso.datetime(),
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
