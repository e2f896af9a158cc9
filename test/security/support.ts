// Shared by the security tests: what the database holds (to prove a refusal changed nothing), which route
// handlers exist on disk (so a new route cannot slip past the tables), and what the process wrote to its logs.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { db, Prisma } from '../../lib/db/client';

export const ROOT = path.resolve(import.meta.dirname, '../..');

// ---- database snapshots -----------------------------------------------------------------------------------------

/** Columns that legitimately move when someone only reads: when a token or a session was last used. */
const VOLATILE: Record<string, readonly string[]> = {
  api_tokens: ['last_used_at'],
  sessions: ['last_seen_at'],
};

export interface TableState {
  rows: number;
  /** Order-independent: the sum of a hash of each row, so a changed, added or removed row changes it. */
  hash: string;
}
export type Snapshot = Map<string, TableState>;

let columns: Promise<Map<string, string[]>> | undefined;

/** Every table of the schema (but Prisma's own) with its columns, read once from the catalog. */
function tableColumns(): Promise<Map<string, string[]>> {
  columns ??= db().$queryRaw<Array<{ table: string; column: string }>>`
      SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'
      ORDER BY table_name, ordinal_position`.then((rows) => {
    const out = new Map<string, string[]>();
    for (const { table, column } of rows) if (!VOLATILE[table]?.includes(column)) out.set(table, [...(out.get(table) ?? []), column]);
    return out;
  });
  return columns;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Row count and content hash of every table. `countOnly` tables are counted but not hashed (the minute buckets
 * of every SLO the run created: millions of rows nobody's refusal could have touched without touching an SLO).
 */
export async function snapshot(options: { countOnly?: readonly string[] } = {}): Promise<Snapshot> {
  const tables = await tableColumns();
  const entries = await Promise.all(
    [...tables].map(async ([table, cols]) => {
      // Identifiers come from the catalog, not from input.
      const query = options.countOnly?.includes(table)
        ? Prisma.sql`SELECT count(*)::int AS rows, '' AS hash FROM ${Prisma.raw(ident(table))}`
        : Prisma.sql`SELECT count(*)::int AS rows,
            coalesce(sum(('x' || substr(md5(r::text), 1, 15))::bit(60)::bigint), 0)::text AS hash
          FROM (SELECT ${Prisma.raw(cols.map(ident).join(', '))} FROM ${Prisma.raw(ident(table))}) r`;
      const [state] = await db().$queryRaw<TableState[]>(query);
      return [table, state!] as const;
    }),
  );
  return new Map(entries);
}

/** What differs between two snapshots, one line per table ("" when nothing does). */
export function diff(before: Snapshot, after: Snapshot): string {
  const lines: string[] = [];
  for (const [table, was] of before) {
    const now = after.get(table);
    if (!now) lines.push(`${table}: gone`);
    else if (now.rows !== was.rows) lines.push(`${table}: ${was.rows} -> ${now.rows} rows`);
    else if (now.hash !== was.hash) lines.push(`${table}: same ${now.rows} rows, different contents`);
  }
  for (const table of after.keys()) if (!before.has(table)) lines.push(`${table}: new table`);
  return lines.join('\n');
}

// ---- route handlers on disk -------------------------------------------------------------------------------------

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

export type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Response | Promise<Response>;

export interface RouteOnDisk {
  /** e.g. /api/v1/services/{service}/slos; a catch-all is {...path}. */
  path: string;
  file: string;
  /** Names of the dynamic segments, in order. */
  params: string[];
  handlers: Partial<Record<Method, Handler>>;
}

/** Every route.ts under the given folders of app/, with the HTTP handlers it exports. */
export async function routesOnDisk(folders: readonly string[]): Promise<RouteOnDisk[]> {
  const app = path.join(ROOT, 'app');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === 'route.ts') files.push(full);
    }
  };
  for (const folder of folders) walk(path.join(app, folder));
  return Promise.all(
    files.map(async (file) => {
      const segments = path.relative(app, path.dirname(file)).split(path.sep);
      const params = segments.flatMap((s) => /^\[(?:\.\.\.)?(.+)\]$/.exec(s)?.[1] ?? []);
      const mod = (await import(file)) as Record<string, unknown>;
      const handlers: Partial<Record<Method, Handler>> = {};
      for (const method of METHODS) if (typeof mod[method] === 'function') handlers[method] = mod[method] as Handler;
      return { path: '/' + segments.map((s) => s.replace(/^\[(.+)\]$/, '{$1}')).join('/'), file, params, handlers };
    }),
  );
}

// ---- log capture ------------------------------------------------------------------------------------------------

/** Collects what the process writes to stdout and stderr (and keeps it off the terminal) until stopped. */
export function captureOutput(): { text: () => string; stop: () => void } {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const keep = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = keep as typeof process.stdout.write;
  process.stderr.write = keep as typeof process.stderr.write;
  return {
    text: () => chunks.join(''),
    stop: () => {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}
