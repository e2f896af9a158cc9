import { afterAll, inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.UMPIRE_EVALUATOR = 'off';
process.env.UMPIRE_SECRET_KEY ??= 'integration-test-secret-key';
process.env.UMPIRE_LOG_LEVEL ??= 'warn';
// Every file of a run shares one database, so an instance-wide count says nothing about the file at hand; the
// quota tests (test/integration/quotas.int.test.ts) set their own limits.
process.env.UMPIRE_MAX_SERVICES ??= '1000000';
process.env.UMPIRE_MAX_SLOS ??= '1000000';

afterAll(async () => {
  const { db } = await import('../lib/db/client');
  await db().$disconnect();
});
