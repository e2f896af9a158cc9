'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import { errorMessage } from '@/lib/queries/api';
import { datasourceKeys, deleteDataSource } from '@/lib/queries/datasources';
import { deleteChannel, notificationKeys } from '@/lib/queries/notifications';
import { deleteService, deleteSlo } from '@/lib/queries/services';
import { sloKeys } from '@/lib/queries/slo';

export type DeleteTarget =
  | { kind: 'service'; service: string }
  | { kind: 'SLO'; service: string; slo: string }
  | { kind: 'data source'; datasource: string }
  | { kind: 'channel'; channel: string };

function slugOf(target: DeleteTarget): string {
  if (target.kind === 'SLO') return target.slo;
  if (target.kind === 'channel') return target.channel;
  return target.kind === 'service' ? target.service : target.datasource;
}

function remove(target: DeleteTarget): Promise<void> {
  if (target.kind === 'SLO') return deleteSlo(target.service, target.slo);
  if (target.kind === 'channel') return deleteChannel(target.channel);
  return target.kind === 'service' ? deleteService(target.service) : deleteDataSource(target.datasource);
}

/** Cache entries that must go with the deleted thing, so one created later under its slug starts clean. */
function cacheKey(target: DeleteTarget): readonly unknown[] {
  if (target.kind === 'SLO') return sloKeys.detail(target.service, target.slo);
  if (target.kind === 'channel') return notificationKeys.all;
  return target.kind === 'service' ? [...sloKeys.all, target.service] : datasourceKeys.all;
}

export interface DeleteButtonProps {
  target: DeleteTarget;
  name: string;
  /** What goes with it, e.g. "its 2 SLOs and all their history". */
  consequence: string;
  /** Where to go once deleted. */
  redirectTo: string;
}

/**
 * Delete behind a modal <dialog>: focus starts on Cancel, Escape closes it, and the delete button stays
 * disabled until the slug is typed, so nothing is lost to a stray click.
 */
export function DeleteButton({ target, name, consequence, redirectTo }: DeleteButtonProps) {
  const kind = target.kind;
  // The slug to type: the one in the URL of the thing being deleted.
  const slug = slugOf(target);
  const router = useRouter();
  const queryClient = useQueryClient();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [typed, setTyped] = useState('');
  const id = useId();
  const mutation = useMutation({
    mutationFn: () => remove(target),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: cacheKey(target) });
      dialogRef.current?.close();
      router.push(redirectTo);
      router.refresh();
    },
  });

  function open() {
    setTyped('');
    mutation.reset();
    dialogRef.current?.showModal();
    cancelRef.current?.focus();
  }

  const confirmed = typed.trim() === slug;
  return (
    <>
      <button type="button" className="btn btn-danger-outline" onClick={open}>
        Delete {kind}
      </button>
      <dialog ref={dialogRef} className="confirm-dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            if (confirmed && !mutation.isPending) mutation.mutate();
          }}
        >
          <div className="dialog-body">
            <h2 id={`${id}-title`}>
              Delete {kind} “{name}”?
            </h2>
            <p id={`${id}-desc`}>This permanently deletes {consequence}. It cannot be undone.</p>
            <div className="field">
              <label htmlFor={`${id}-confirm`}>
                Type <code>{slug}</code> to confirm
              </label>
              <input id={`${id}-confirm`} type="text" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
            </div>
            {mutation.isError ? (
              <div className="callout callout-danger" role="alert" style={{ marginTop: 12 }}>
                <span>
                  <strong>Not deleted.</strong> {errorMessage(mutation.error)}
                </span>
              </div>
            ) : null}
          </div>
          <div className="dialog-actions">
            <button type="button" className="btn btn-secondary" ref={cancelRef} autoFocus onClick={() => dialogRef.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="btn btn-danger" disabled={!confirmed || mutation.isPending}>
              {mutation.isPending ? 'Deleting…' : `Delete ${kind}`}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
