import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { env } from '../env';
import { PrismaClient } from './generated/client';

export { Prisma } from './generated/client';
export type { PrismaClient } from './generated/client';

// One client per process; Next's dev server reloads modules, so it lives on globalThis.
const holder = globalThis as typeof globalThis & { umpirePrisma?: PrismaClient; umpirePgPool?: pg.Pool };

/** The Prisma client, created on first use (so builds and tests that never touch the database need no URL). */
export function db(): PrismaClient {
  if (!holder.umpirePrisma) {
    const { DATABASE_URL, DATABASE_POOL_MAX } = env();
    const adapter = new PrismaPg({ connectionString: DATABASE_URL, max: DATABASE_POOL_MAX });
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
    const { DATABASE_URL, DATABASE_POOL_MAX } = env();
    holder.umpirePgPool = new pg.Pool({ connectionString: DATABASE_URL, max: DATABASE_POOL_MAX });
    // An idle client's connection dropping (database restart) must not crash the process.
    holder.umpirePgPool.on('error', () => undefined);
  }
  return holder.umpirePgPool;
}

/** Prisma's error code (P2002 unique violation, P2025 not found), or undefined; matched by code, never by text. */
export function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' && /^P\d{4}$/.test(code)) return code;
  }
  return undefined;
}

const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017']);
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'DatabaseDoesNotExist', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections']);

/** True when the database could not be reached at all (as opposed to refusing a query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = prismaErrorCode(error);
  if (code && UNREACHABLE_CODES.has(code)) return true;
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } } | null)?.meta;
  const kind = meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === 'string' && UNREACHABLE_KINDS.has(kind)) return true;
  // node-postgres (pgPool): socket errors, and SQLSTATE classes 08 (connection) and 57P (shutting down).
  const pgCode = (error as { code?: unknown } | null)?.code;
  return typeof pgCode === 'string' && (PG_UNREACHABLE.has(pgCode) || /^08|^57P0/.test(pgCode));
}

const PG_UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', '53300']);
