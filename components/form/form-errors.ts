/** Pure plumbing of the forms' errors: where each one is shown, the summary's lines, what to focus. */
import { ApiRequestError } from '@/lib/queries/api';
import type { FieldErrors } from '@/lib/schemas/field-errors';

/** Where a field error is shown: its control's id and the label its message starts with. */
export interface FieldPlace {
  id: string;
  label: string;
}

/** One line of the error summary: a link to the control, and the message. */
export interface SummaryItem extends FieldPlace {
  message: string;
}

/** Splits an API failure into field errors and a form-level message (what no field can show). */
export function apiErrors(error: unknown, knownField: (path: string) => boolean): { fields: FieldErrors; form: string | null } {
  if (!(error instanceof ApiRequestError)) return { fields: {}, form: error instanceof Error ? error.message : 'Something went wrong' };
  const fields: FieldErrors = {};
  let unplaced = false;
  for (const [path, message] of Object.entries(error.fields)) {
    if (knownField(path)) fields[path] = message;
    else unplaced = true;
  }
  const placed = Object.keys(fields).length > 0;
  return { fields, form: !placed || unplaced ? error.message : null };
}

/** "teams.2" -> "teams": the top-level field an error path belongs to. */
export function topField(path: string): string {
  return path.split('.')[0]!;
}

/** One error per top-level field ("teams.0", "teams.2" -> "teams"), where its first item failed, with the last message. */
export function errorsByField(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(new Map(Object.entries(errors).map(([path, message]) => [topField(path), message])));
}

/**
 * The errors by control id and the summary's lines, each control once (its first error), in the order the
 * schema or the API gave them; errors no control shows are left out. `messageOf` rewords a message for display.
 */
export function placeErrors(
  errors: FieldErrors,
  placeOf: (path: string) => FieldPlace | null | undefined,
  messageOf: (path: string, message: string) => string = (_path, message) => message,
): { byId: Map<string, string>; summary: SummaryItem[] } {
  const byId = new Map<string, string>();
  const summary: SummaryItem[] = [];
  for (const [path, message] of Object.entries(errors)) {
    const where = placeOf(path);
    if (!where || byId.has(where.id)) continue;
    const text = messageOf(path, message);
    byId.set(where.id, text);
    summary.push({ id: where.id, label: where.label, message: text });
  }
  return { byId, summary };
}

/** The summary's lines in the order a form lists its fields, for forms whose fields are a fixed list. */
export function summaryInFieldOrder(errors: FieldErrors, fields: ReadonlyArray<FieldPlace & { path: string }>): SummaryItem[] {
  return fields.filter((f) => errors[f.path]).map((f) => ({ id: f.id, label: f.label, message: errors[f.path]! }));
}

/** When there are errors but none has a control to show it, the form-level message that lists them all. */
export function unplacedMessage(errors: FieldErrors, placed: number, what: string): string | null {
  return Object.keys(errors).length > 0 && placed === 0 ? `${what} could not be saved: ${Object.values(errors).join('; ')}` : null;
}

/** The ids of the controls showing these errors, in order, for focusing the first one; errors without one are skipped. */
export function placedIds(errors: FieldErrors, placeOf: (path: string) => FieldPlace | null | undefined): string[] {
  return Object.keys(errors).flatMap((path) => {
    const where = placeOf(path);
    return where ? [where.id] : [];
  });
}
