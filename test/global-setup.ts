import type { TestProject } from 'vitest/node';
import { createTestDatabase } from './database';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** One fresh database per integration run, dropped at the end; tests create their own rows in it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await createTestDatabase('umpire_test');
  project.provide('databaseUrl', database.url);
  return database.drop;
}
