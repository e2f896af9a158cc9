import { z } from 'zod';

// Answers of POST /api/v1/catalog/plan and /apply (docs/gitops.md), as the Import page reads them.

/** One field a change would set: its value now and after (any JSON value; managedBy is an object or null). */
export const CatalogFieldChange = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
export type CatalogFieldChange = z.infer<typeof CatalogFieldChange>;

/** One service, SLO or notification route the files define (or, with prune, one to delete) and what applying does to it. */
export const CatalogStep = z.object({
  kind: z.enum(['service', 'slo', 'route']),
  /** The service's slug, service/slo, or (a route) `service/slo → channel (severity)`. */
  name: z.string(),
  action: z.enum(['create', 'change', 'unchanged', 'delete']),
  fields: z.array(z.string()),
  changes: z.array(CatalogFieldChange),
  /** The file that defines it; null for a delete. */
  file: z.string().nullable(),
});
export type CatalogStep = z.infer<typeof CatalogStep>;

/** 200 of POST /api/v1/catalog/plan: nothing was written. */
export const CatalogPlanAnswer = z.object({ steps: z.array(CatalogStep), skipped: z.array(z.string()) });
export type CatalogPlanAnswer = z.infer<typeof CatalogPlanAnswer>;

/** 200 of POST /api/v1/catalog/apply: `applied` false when there was nothing to do (or a dry run). */
export const CatalogApplyAnswer = CatalogPlanAnswer.extend({ applied: z.boolean(), dryRun: z.boolean() });
export type CatalogApplyAnswer = z.infer<typeof CatalogApplyAnswer>;

/** One file of a plan or apply request body. */
export interface CatalogFile {
  name: string;
  text: string;
}
