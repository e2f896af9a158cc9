import { z } from 'zod';

/** URL-safe identifier: lowercase letters, digits and single hyphens, as used in /services/{slug}. */
export const Slug = z
  .string()
  .min(1, 'is required')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens (e.g. checkout-api)');
export type Slug = z.infer<typeof Slug>;

/**
 * A duration in whole minutes, hours or days, as Prometheus and Sloth write them: "5m", "1h", "3d".
 * Umpire's buckets are one minute, so nothing finer is meaningful.
 */
export const Duration = z.string().regex(/^[1-9][0-9]{0,5}[mhd]$/, 'must be a whole number of minutes, hours or days, e.g. 5m, 1h or 3d');
export type Duration = z.infer<typeof Duration>;

const UNIT_MINUTES = { m: 1, h: 60, d: 1440 } as const;

/** Minutes in a Duration; NaN for a string that is not one (the schema reports it). */
export function durationMinutes(value: string): number {
  const match = /^([1-9][0-9]{0,5})([mhd])$/.exec(value);
  if (!match) return Number.NaN;
  return Number(match[1]) * UNIT_MINUTES[match[2] as keyof typeof UNIT_MINUTES];
}

/** Only http(s): these end up in href attributes, where javascript: would be script injection. */
export const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);

export const TimeZone = z.string().min(1, 'is required').refine(isTimeZone, { message: 'must be an IANA time zone, e.g. Europe/Berlin or UTC' });
export type TimeZone = z.infer<typeof TimeZone>;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Free-form key/value labels, Prometheus-style keys; a bad key is reported on its own path. */
export const Labels = z.record(z.string(), z.string().max(200, 'must be at most 200 characters')).superRefine((labels, ctx) => {
  const keys = Object.keys(labels);
  if (keys.length > 32) ctx.addIssue({ code: 'custom', message: 'at most 32 labels' });
  for (const key of keys) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/.test(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'label names must be letters, digits and underscores, not starting with a digit' });
    }
  }
});
export type Labels = z.infer<typeof Labels>;

/** The body of every error response. */
export const ApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
    /** With code quota_exceeded: which quota is full, its limit, and the setting that raises it. */
    quota: z.object({ name: z.string(), limit: z.number(), setting: z.string() }).optional(),
    /** Every problem found, where there are many (a catalogue's files: each document and field refused). */
    errors: z.array(z.string()).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

/** Which source (a repository, as `umpire apply --source` names it) and file manage an object applied from git. */
export const ManagedBy = z.object({ source: z.string(), path: z.string().nullable() });
export type ManagedBy = z.infer<typeof ManagedBy>;
