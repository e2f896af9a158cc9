import type { CatalogFieldChange, CatalogStep } from '@/lib/schemas';

// How the Import page words a catalogue plan: pure, so the wording is tested without a browser.

const ACTIONS: Record<CatalogStep['action'], string> = { create: 'Create', change: 'Change', unchanged: 'Unchanged', delete: 'Delete' };

/** The action as a word (the table never says it by colour alone). */
export function actionLabel(action: CatalogStep['action']): string {
  return ACTIONS[action];
}

export function kindLabel(kind: CatalogStep['kind']): string {
  return kind === 'service' ? 'Service' : kind === 'slo' ? 'SLO' : 'Route';
}

/** The page of a service (`checkout`) or SLO (`checkout/latency`) a step names; a route's is the notifications page. */
export function stepHref(step: Pick<CatalogStep, 'kind' | 'name'>): string {
  if (step.kind === 'service') return `/services/${encodeURIComponent(step.name)}`;
  if (step.kind === 'route') return '/notifications';
  const cut = step.name.indexOf('/');
  const service = step.name.slice(0, cut);
  const slo = step.name.slice(cut + 1);
  return `/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo)}`;
}

/** The service a step belongs to: its own name, or the part of `service/slo` before the slash. */
export function serviceOf(step: Pick<CatalogStep, 'kind' | 'name'>): string {
  return step.kind === 'service' ? step.name : step.name.slice(0, step.name.indexOf('/'));
}

const SHORT = 40;

/** A value worth printing inline: a number, boolean, null or a one-line string of at most 40 characters. */
function shortScalar(value: unknown): string | null {
  if (value === null) return 'none';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && value.length <= SHORT && !/[\r\n]/.test(value)) return JSON.stringify(value);
  return null;
}

function markOf(value: unknown): { source: string; path: string | null } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { source, path } = value as { source?: unknown; path?: unknown };
  if (typeof source !== 'string') return null;
  return { source, path: typeof path === 'string' ? path : null };
}

/**
 * One changed field in words: `tier: 2 → 1` when both values are short scalars, the field name alone otherwise
 * (an SLI or a description would not fit a table cell), and the managed-by mark as "managed by SOURCE (PATH)".
 */
export function describeChange(change: CatalogFieldChange): string {
  if (change.field === 'managedBy') {
    const to = markOf(change.to);
    if (to) return `managed by ${to.source}${to.path ? ` (${to.path})` : ''}`;
    const from = markOf(change.from);
    return from ? `no longer managed by ${from.source}` : 'managed by: changes';
  }
  const from = shortScalar(change.from);
  const to = shortScalar(change.to);
  return from !== null && to !== null ? `${change.field}: ${from} → ${to}` : change.field;
}

function count(steps: CatalogStep[], action: CatalogStep['action']): number {
  return steps.filter((s) => s.action === action).length;
}

/** "2 to create, 1 to change, 3 unchanged": only the actions that occur; "Nothing in the files" for none. */
export function countsLine(steps: CatalogStep[]): string {
  const parts = [
    [count(steps, 'create'), 'to create'],
    [count(steps, 'change'), 'to change'],
    [count(steps, 'delete'), 'to delete'],
    [count(steps, 'unchanged'), 'unchanged'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, words]) => `${n} ${words}`);
  return said.length > 0 ? said.join(', ') : 'Nothing in the files';
}

/** Whether applying would write anything (Apply is disabled otherwise). */
export function hasWork(steps: CatalogStep[]): boolean {
  return steps.some((s) => s.action !== 'unchanged');
}

/** "Applied: 2 created, 1 changed" (and deleted, when something was). */
export function appliedLine(steps: CatalogStep[]): string {
  const deleted = count(steps, 'delete');
  return `Applied: ${count(steps, 'create')} created, ${count(steps, 'change')} changed${deleted > 0 ? `, ${deleted} deleted` : ''}`;
}

/** The services an apply created or changed (itself or one of its SLOs), in the order of the plan. */
export function touchedServices(steps: CatalogStep[]): string[] {
  const touched = steps.filter((s) => s.action === 'create' || s.action === 'change').map(serviceOf);
  return [...new Set(touched)];
}
