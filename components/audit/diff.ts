/** One changed value of an audited object, by dotted path: "links.runbook", "sli.good.0.value". */
export interface FieldChange {
  path: string;
  before: string | null;
  after: string | null;
}

/** Leaves of a JSON value by dotted path, each as compact text; arrays of scalars stay whole ("shop, web"). */
function leaves(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      out.set(prefix, value.map((v) => String(v)).join(', ') || '(none)');
      return;
    }
    value.forEach((v, i) => leaves(v, prefix ? `${prefix}.${i}` : String(i), out));
    return;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '(none)');
    for (const [key, v] of entries) leaves(v, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
}

/** Timestamps that move with every save say nothing a reader needs. */
const NOISE = new Set(['updatedAt']);

/**
 * What changed between two versions of an object, field by field, in a stable order; a created object lists
 * its fields as after-only, a deleted one as before-only.
 */
export function diffObjects(before: unknown, after: unknown): FieldChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  leaves(before, '', a);
  leaves(after, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((p) => !NOISE.has(p.split('.').pop() ?? p));
  return paths
    .filter((p) => a.get(p) !== b.get(p))
    .sort((x, y) => x.localeCompare(y))
    .map((path) => ({ path, before: a.get(path) ?? null, after: b.get(path) ?? null }));
}
