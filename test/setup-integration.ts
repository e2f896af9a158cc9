import { afterAll, inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.UMPIRE_EVALUATOR = 'off';
process.env.UMPIRE_SECRET_KEY ??= 'integration-test-secret-key';
process.env.UMPIRE_LOG_LEVEL ??= 'warn';
// Every file of a run shares one database, so an instance-wide count says nothing about the file at hand; the
// quota tests (test/integration/quotas.int.test.ts) set their own limits.
process.env.UMPIRE_MAX_SERVICES ??= '1000000';
process.env.UMPIRE_MAX_SLOS ??= '1000000';
// Tests write rows directly (buckets, states) and read them back at once: the overview is computed for each request
// (test/integration/overview-cache.int.test.ts turns sharing on).
process.env.UMPIRE_OVERVIEW_CACHE_SECONDS ??= '0';

afterAll(async () => {
  const { db } = await import('../lib/db/client');
  await db().$disconnect();
});
