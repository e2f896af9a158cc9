import { env } from '../../env';
import { ConflictError } from '../../errors';
import type { ManagedBy } from '../../schemas/index';

/** Where a managed object is defined, for messages: `github.com/acme/slos (slos/checkout.yaml)`. */
export function managedPlace(mark: ManagedBy): string {
  return mark.path ? `${mark.source} (${mark.path})` : mark.source;
}

/**
 * A hand edit (UI or API, not `umpire apply`) to an object git manages: refused with 409 under
 * UMPIRE_MANAGED_EDITS=refuse (the default), so git stays the truth; under `warn` it goes through and the details
 * returned go into its audit entry. Objects made by hand (mark null) pass with no details.
 */
export function handEdit(mark: ManagedBy | null, what: string): { managedEdit: ManagedBy } | undefined {
  if (mark === null) return undefined;
  if (env().UMPIRE_MANAGED_EDITS === 'refuse') {
    throw new ConflictError(`${what} is managed in git by ${managedPlace(mark)}: change it there and apply (UMPIRE_MANAGED_EDITS=refuse)`, {
      managedBy: managedPlace(mark),
    });
  }
  return { managedEdit: mark };
}

/** Whether hand edits to managed objects are refused or only warned (UMPIRE_MANAGED_EDITS), for the pages to say so. */
export function managedEditsMode(): 'refuse' | 'warn' {
  return env().UMPIRE_MANAGED_EDITS;
}
