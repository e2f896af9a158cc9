/** Pure operations on the rows a form edits as a list (labels, tiers, rules, headers, filters); each row has a stable key. */

/** A row as the forms keep it: `key` stays with the row while others are added, removed or moved, for React and for ids. */
export interface Row {
  key: number;
}

/** The rows with a new one at the end, keyed `key` (the draft's next sequence number; the caller moves it on). */
export function rowAdded<R extends Row>(rows: readonly R[], row: R): R[] {
  return [...rows, row];
}

/** The rows with the one keyed `key` changed by `patch`; the others are the same objects. */
export function rowChanged<R extends Row>(rows: readonly R[], key: number, patch: Partial<Omit<R, 'key'>>): R[] {
  return rows.map((row) => (row.key === key ? { ...row, ...patch } : row));
}

/** The rows without the one keyed `key`. */
export function rowRemoved<R extends Row>(rows: readonly R[], key: number): R[] {
  return rows.filter((row) => row.key !== key);
}

/** The rows with the one keyed `key` moved `by` places (-1: up), kept within the list; unchanged when it is not there. */
export function rowMoved<R extends Row>(rows: readonly R[], key: number, by: number): R[] {
  const from = rows.findIndex((row) => row.key === key);
  if (from === -1) return [...rows];
  const to = Math.min(rows.length - 1, Math.max(0, from + by));
  const next = [...rows];
  const [row] = next.splice(from, 1);
  next.splice(to, 0, row!);
  return next;
}
