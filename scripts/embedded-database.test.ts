import { spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';

/** Every path under `dir` (itself included) whose mode lets anyone but its owner in: "0644 path". */
function notPrivate(dir: string): string[] {
  const found: string[] = [];
  const visit = (p: string) => {
    const stat = lstatSync(p);
    if (stat.isSymbolicLink()) return;
    if (stat.mode & 0o077) found.push(`${(stat.mode & 0o777).toString(8)} ${path.relative(dir, p) || '.'}`);
    if (stat.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
  };
  visit(dir);
  return found;
}

/** Connects to `url` as another local user (nobody), in a process of its own; what it printed. */
function connectAsNobody(url: string): Promise<string> {
  const script = `
    const pg = require('pg');
    const client = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 5000 });
    client.connect().then(() => client.query('SELECT current_user AS u')).then((r) => { console.log('connected as ' + r.rows[0].u); return client.end(); })
      .catch((e) => { console.log('refused: ' + (e.code || e.message)); process.exit(0); });`;
  // Not spawnSync: PGlite answers on this process's event loop.
  const child = spawn(process.execPath, ['-e', script, url], { cwd: path.resolve(import.meta.dirname, '..'), uid: 65534, gid: 65534, timeout: 20_000 });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(output.trim())));
}

const isRoot = process.getuid?.() === 0;

describe('the embedded database (PGlite behind a socket)', () => {
  let dir: string;
  let database: EmbeddedDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'umpire-pglite-test-'));
    database = await startEmbeddedDatabase(path.join(dir, 'pglite'));
  }, 60_000);
  afterAll(async () => {
    await database?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('is reached through a Unix socket in a directory only this user may enter, with no TCP port', async () => {
    const url = new URL(database.url);
    expect(url.port).toBe('');
    expect(url.password).toBe('');
    const host = url.searchParams.get('host')!;
    expect(host).toBe(database.socketDir);
    expect(statSync(host).mode & 0o777).toBe(0o700);
    expect(statSync(host).uid).toBe(process.getuid?.());
    expect(readdirSync(host).map((name) => [name, statSync(path.join(host, name)).mode & 0o777])).toEqual([['.s.PGSQL.5432', 0o600]]);
    // This user gets in.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  // Only root can act as another user here; CI runs as root.
  test.skipIf(!isRoot)(
    'refuses another local user: the kernel stops them at the socket directory',
    async () => {
      // With the URL this user's app gets (there is no password to guess: the directory is the lock).
      expect(await connectAsNobody(database.url)).toBe('refused: EACCES');
    },
    30_000,
  );

  test('keeps its data directory private to this user: directories 0700, files 0600, also those written while it runs', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      // New relation files, written after the start.
      await pool.query('CREATE TABLE IF NOT EXISTS private_check AS SELECT generate_series(1, 50000) AS n');
      await pool.query('CHECKPOINT');
    } finally {
      await pool.end();
    }
    expect(notPrivate(path.join(dir, 'pglite'))).toEqual([]);
  }, 60_000);

  test('parameterised queries from many connections at once each get their own answer', async () => {
    // node-postgres sends Parse/Bind/Execute/Sync per query on the unnamed statement, as Prisma's adapter does:
    // one connection's Bind must never meet another connection's Parse.
    const pool = new pg.Pool({ connectionString: database.url, max: 6 });
    try {
      // Rows to read make each answer take a while, so the next connection's messages arrive meanwhile.
      await pool.query('CREATE TABLE IF NOT EXISTS filler AS SELECT generate_series(1, 20000) AS n');
      const queries = Array.from({ length: 600 }, (_, i) =>
        i % 3 === 0
          ? pool
              .query<{ v: number }>('SELECT $1::int + $2::int + $3::int + count(*) * 0 AS v FROM filler WHERE n > $4', [i, 1, 2, i])
              .then((r) => [i, Number(r.rows[0]!.v) - 3])
          : i % 3 === 1
            ? pool.query<{ v: number }>('SELECT $1::int AS v', [i]).then((r) => [i, r.rows[0]!.v])
            : pool.query<{ v: number }>('SELECT $1::int - $2::int + $3::int - $4::int AS v', [i, 5, 5, 0]).then((r) => [i, r.rows[0]!.v]),
      );
      const answers = await Promise.all(queries);
      expect(answers.every(([i, v]) => i === v)).toBe(true);
    } finally {
      await pool.end();
    }
  }, 60_000);

  test('a transaction on one connection is not interleaved with others, and is rolled back when its connection drops', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    try {
      await pool.query('CREATE TABLE IF NOT EXISTS t (n int)');
      const client = await pool.connect();
      await client.query('BEGIN');
      await client.query('INSERT INTO t VALUES ($1)', [1]);
      // Another connection asks meanwhile: it waits for the transaction, then sees the committed row.
      const other = pool.query<{ c: string }>('SELECT count(*) AS c FROM t WHERE n = $1', [1]);
      await client.query('INSERT INTO t VALUES ($1)', [1]);
      await client.query('COMMIT');
      client.release();
      expect(Number((await other).rows[0]!.c)).toBe(2);
    } finally {
      await pool.end();
    }
  }, 60_000);
});
