import { z } from 'zod';
import { HttpUrl, ManagedBy, Slug } from './common';
import { AtQuery } from './status';

const optionalUrl = z.union([HttpUrl, z.literal('').transform(() => undefined)]).optional();

export const ServiceLinks = z.object({
  runbook: optionalUrl,
  repository: optionalUrl,
  dashboard: optionalUrl,
  onCall: optionalUrl,
});
export type ServiceLinks = z.infer<typeof ServiceLinks>;

const serviceFields = {
  slug: Slug,
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  ownerTeam: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  tier: z.number({ error: 'must be 1, 2 or 3' }).int('must be 1, 2 or 3').min(1, 'must be 1, 2 or 3').max(3, 'must be 1, 2 or 3'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters'),
  links: ServiceLinks,
};

/** Body of POST /api/v1/services and of the "new service" form. */
export const ServiceInput = z.strictObject({
  ...serviceFields,
  description: serviceFields.description.default(''),
  links: serviceFields.links.default({}),
});
export type ServiceInput = z.infer<typeof ServiceInput>;

/** Body of PATCH /api/v1/services/{service}: any subset of the fields; links are replaced whole. */
export const ServicePatch = z
  .strictObject(serviceFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' });
export type ServicePatch = z.infer<typeof ServicePatch>;

export const AlertStateSummary = z.enum(['firing', 'ok', 'no_data']);

/** A service as the API returns it. */
export const Service = z.object({
  slug: z.string(),
  name: z.string(),
  ownerTeam: z.string(),
  tier: z.number().int(),
  description: z.string(),
  links: ServiceLinks,
  /** Set when `umpire apply` manages it from git (docs/gitops.md); null when made by hand. */
  managedBy: ManagedBy.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Service = z.infer<typeof Service>;

/** The most urgent alert state among a service's SLOs. */
export const HealthState = z.enum(['page', 'ticket', 'ok', 'no_data']);
export type HealthState = z.infer<typeof HealthState>;

/** The figures the overview sorts and shows a service by (kept per service in service_states). */
export const ServiceFigures = z.object({
  sloCount: z.number().int(),
  /** The lowest error budget remaining among its SLOs with data; null when none has data. */
  worstBudgetRemaining: z.number().nullable(),
  /** The SLO with that budget. */
  worstSlo: z.string().nullable(),
  /**
   * Whether that budget is provisional (a partly measured window, or too few events). The worst budget is taken from
   * the SLOs whose figures are not provisional when there are any.
   */
  worstProvisional: z.boolean(),
  /** SLOs whose figures are provisional. */
  provisionalSlos: z.number().int(),
  health: HealthState,
  firingAlerts: z.number().int(),
  /** SLOs whose source is failing: their figures stop at the time they went stale. */
  staleSlos: z.number().int(),
  /** The SLI sources its SLOs use ("demo" data is labelled as such in the UI). */
  sources: z.array(z.string()),
  /** What the release gate would answer now under the service's policy; null when it could not be worked out here. */
  gate: z.enum(['pass', 'warn', 'fail']).nullable(),
});
export type ServiceFigures = z.infer<typeof ServiceFigures>;

/** A service with the figures the overview sorts and shows by. */
export const ServiceSummary = Service.extend(ServiceFigures.shape);
export type ServiceSummary = z.infer<typeof ServiceSummary>;

/** Filters of GET /api/v1/services and of the overview page. */
export const ServiceFilter = z.object({
  q: z.string().trim().max(100).optional(),
  team: z.string().trim().max(100).optional(),
  tier: z.enum(['1', '2', '3'], { error: 'must be 1, 2 or 3' }).transform(Number).optional(),
  /** Every figure as of this minute, from stored buckets. */
  at: AtQuery.shape.at,
});
export type ServiceFilter = z.output<typeof ServiceFilter>;
