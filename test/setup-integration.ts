import { afterAll, inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.UMPIRE_EVALUATOR = 'off';
process.env.UMPIRE_SECRET_KEY ??= 'integration-test-secret-key';
process.env.UMPIRE_LOG_LEVEL ??= 'warn';

afterAll(async () => {
  const { db } = await import('../lib/db/client');
  await db().$disconnect();
});
