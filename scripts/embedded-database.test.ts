import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';

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

  test('parameterised queries from many connections at once each get their own answer', async () => {
    // node-postgres sends Parse/Bind/Execute/Sync per query on the unnamed statement, as Prisma's adapter does:
    // one connection's Bind must never meet another connection's Parse.
    const pool = new pg.Pool({ connectionString: database.url, max: 6 });
    try {
      // Rows to read make each answer take a while, so the next connection's messages arrive meanwhile.
      await pool.query('CREATE TABLE IF NOT EXISTS filler AS SELECT generate_series(1, 20000) AS n');
      const queries = Array.from({ length: 600 }, (_, i) =>
        i % 3 === 0
          ? pool.query<{ v: number }>('SELECT $1::int + $2::int + $3::int + count(*) * 0 AS v FROM filler WHERE n > $4', [i, 1, 2, i]).then((r) => [i, Number(r.rows[0]!.v) - 3])
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
