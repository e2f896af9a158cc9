import type { ManagedBy } from '@/lib/schemas';
import { Badge } from '../badges';

/** "Managed in git" beside the name of a service or SLO that `umpire apply` manages (docs/gitops.md). */
export function ManagedBadge({ managedBy }: { managedBy: ManagedBy | null }) {
  if (!managedBy) return null;
  return (
    <Badge tone="accent" title={`Applied from ${managedBy.source}${managedBy.path ? `, ${managedBy.path}` : ''}`}>
      Managed in git
    </Badge>
  );
}

export interface ManagedNoticeProps {
  managedBy: ManagedBy | null;
  /** UMPIRE_MANAGED_EDITS: hand edits refused, or let through with this warning. */
  mode: 'refuse' | 'warn';
  /** "service" or "SLO". */
  what: string;
}

/**
 * Where a managed object is defined, and what a hand edit does to it: refused (change it in git), or let through
 * until the next apply puts git's definition back.
 */
export function ManagedNotice({ managedBy, mode, what }: ManagedNoticeProps) {
  if (!managedBy) return null;
  return (
    <div className={`callout ${mode === 'refuse' ? 'callout-info' : 'callout-warning'}`} role="note" data-testid="managed-notice">
      <p>
        This {what} is managed in git: <code>{managedBy.source}</code>
        {managedBy.path ? (
          <>
            {' '}
            in <code>{managedBy.path}</code>
          </>
        ) : null}
        .{' '}
        {mode === 'refuse'
          ? `Change it there and apply it; edits and deletion here are refused.`
          : `Edits here are allowed, but the next apply from git puts its definition back.`}
      </p>
    </div>
  );
}
