import { catalogCollected, catalogWritten, tokenNames, valuesPerKey } from '@/lib/use-cases/ingest/catalog-memory';

/** Forgets what this process has written to the catalogue: every test starts as a fresh process would. */
export function forgetCatalogWrites(): void {
  catalogWritten.clear();
  catalogCollected.clear();
  valuesPerKey.clear();
  tokenNames.clear();
}
