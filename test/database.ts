import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../lib/db/generated/client';

/** Where test databases are created; CI and the dev machine have PostgreSQL here with trust auth. */
export const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database with a unique name, applies the committed migrations, and returns its URL. */
export async function createTestDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(ADMIN_URL, name);
  execFileSync('npx', ['prisma', 'migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    url,
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Runs `fn` with db() answering from a fresh, migrated database of its own (for tests that need an empty one,
 * e.g. no users or no other admins), then puts the shared client back and drops the database.
 */
export async function withFreshDatabase<T>(prefix: string, fn: (client: PrismaClient) => Promise<T>): Promise<T> {
  const fresh = await createTestDatabase(prefix);
  const holder = globalThis as typeof globalThis & { umpirePrisma?: PrismaClient };
  const shared = holder.umpirePrisma;
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: fresh.url, max: 2 }) });
  holder.umpirePrisma = client;
  try {
    return await fn(client);
  } finally {
    holder.umpirePrisma = shared;
    await client.$disconnect();
    await fresh.drop();
  }
}
