import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { databaseUrl, env } from '../env';
import { PrismaClient } from './generated/client';

export { Prisma } from './generated/client';
export type { PrismaClient } from './generated/client';

// One client per process; Next's dev server reloads modules, so it lives on globalThis.
const holder = globalThis as typeof globalThis & { umpirePrisma?: PrismaClient; umpirePgPool?: pg.Pool };

/** The Prisma client, created on first use (so builds and tests that never touch the database need no URL). */
export function db(): PrismaClient {
  if (!holder.umpirePrisma) {
    const adapter = new PrismaPg({ connectionString: databaseUrl(), max: env().DATABASE_POOL_MAX });
    holder.umpirePrisma = new PrismaClient({ adapter });
  }
  return holder.umpirePrisma;
}

/**
 * A plain node-postgres pool on the same database, for the few hot paths where Prisma's per-query overhead
 * dominates (OTLP ingest: a few large statements per request, measured 2.8x faster without Prisma).
 */
export function pgPool(): pg.Pool {
  if (!holder.umpirePgPool) {
    holder.umpirePgPool = new pg.Pool({ connectionString: databaseUrl(), max: env().DATABASE_POOL_MAX });
    // An idle client's connection dropping (database restart) must not crash the process.
    holder.umpirePgPool.on('error', () => undefined);
  }
  return holder.umpirePgPool;
}

// Classifying database errors needs no client: lib/errors.ts, where lib/http may reach it.
export { isDatabaseUnavailable, prismaErrorCode } from '../errors';
