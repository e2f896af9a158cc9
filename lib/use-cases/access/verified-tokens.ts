import type { IngestBinding } from '../../auth/ingest-binding';
import type { TokenActor } from '../../auth/permissions';

/** One API token as checked against the database. */
export interface VerifiedToken {
  /** Who it acts as; null when it is unknown, revoked, or its owner is disabled. */
  actor: Omit<TokenActor, 'context'> | null;
  expiresAt: Date | null;
  checkedAt: number;
  /** What it may feed over OTLP, worked out once per check (ingest tokens only). */
  binding?: IngestBinding;
}

/**
 * The API tokens this process has checked lately, by hash, so a busy exporter is not looked up on every request;
 * and when each token's last_used_at was last written, by token id. In memory, per process; its own module so
 * tests can clear it between cases.
 */
export class VerifiedTokens {
  readonly byHash = new Map<string, VerifiedToken>();
  readonly lastUsedWritten = new Map<string, number>();

  /** Forgets every verification, so the next request of each token is checked against the database. */
  invalidate(): void {
    this.byHash.clear();
  }

  /** Forgets the verifications and when last_used_at was written. */
  clear(): void {
    this.byHash.clear();
    this.lastUsedWritten.clear();
  }
}

export const verifiedTokens = new VerifiedTokens();
