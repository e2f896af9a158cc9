import { z } from 'zod';
import { Slug } from './common';

export const EmbedPanel = z.enum(['burn_rate', 'budget', 'sli', 'service'], { error: 'must be burn_rate, budget, sli or service' });
export type EmbedPanel = z.infer<typeof EmbedPanel>;

/** Body of POST /api/v1/embeds: a read-only link to one panel of one SLO (or of one service). */
export const EmbedInput = z
  .strictObject({
    service: Slug,
    slo: Slug.optional(),
    panel: EmbedPanel,
    label: z.string().trim().max(100, 'must be at most 100 characters').default(''),
    /** null or absent: never expires. */
    expiresInDays: z
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be 1 to 3650 days')
      .max(3650, 'must be 1 to 3650 days')
      .nullable()
      .default(null),
  })
  .refine((input) => (input.panel === 'service') === (input.slo === undefined), {
    message: 'is required for SLO panels (burn_rate, budget, sli) and must be absent for the service panel',
    path: ['slo'],
  });
export type EmbedInput = z.infer<typeof EmbedInput>;

export const EmbedLink = z.object({
  id: z.uuid(),
  service: z.string(),
  slo: z.string().nullable(),
  panel: EmbedPanel,
  label: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  /** The signed token; the links carry it. */
  token: z.string(),
  urls: z.object({ page: z.string(), svg: z.string(), png: z.string(), badge: z.string().nullable() }),
});
export type EmbedLink = z.infer<typeof EmbedLink>;

export const EmbedListQuery = z.object({ service: Slug, slo: Slug.optional() });

/** Query parameters of every embed URL. */
export const EmbedView = z.object({
  range: z.enum(['1d', '7d', '30d'], { error: 'must be 1d, 7d or 30d' }).default('7d'),
  theme: z.enum(['light', 'dark', 'auto'], { error: 'must be light, dark or auto' }).default('auto'),
  width: z.coerce.number({ error: 'must be a number' }).int().min(200, 'must be 200 to 1600').max(1600, 'must be 200 to 1600').default(600),
  height: z.coerce.number({ error: 'must be a number' }).int().min(100, 'must be 100 to 1000').max(1000, 'must be 100 to 1000').default(300),
});
export type EmbedView = z.infer<typeof EmbedView>;
