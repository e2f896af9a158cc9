import type { z } from 'zod';

/** Field errors keyed by dotted path, as the API sends them: { "links.runbook": "must be an http(s) URL" }. */
export type FieldErrors = Record<string, string>;

/**
 * Zod issues keyed by dotted path, first message per path; "_" for issues about the whole object. The API and
 * the forms both use this, so a field shows the same message whichever side caught it.
 */
export function zodFieldErrors(error: z.ZodError, rewrite?: (issue: z.core.$ZodIssue) => string | undefined): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= rewrite?.(issue) ?? issue.message;
  }
  return fields;
}
