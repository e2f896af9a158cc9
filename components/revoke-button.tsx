'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useRef } from 'react';
import { errorMessage } from '@/lib/queries/api';

export interface RevokeButtonProps<T> {
  /** The button's accessible name, e.g. "Revoke ci-deploy". */
  label: string;
  title: React.ReactNode;
  /** What stops working, spelled out: revoking cannot be undone. */
  consequence: React.ReactNode;
  /** The confirming button, e.g. "Revoke token". */
  confirm: string;
  revoke: () => Promise<T>;
  onRevoked: (revoked: T) => void;
}

/**
 * Revoke behind a modal <dialog>: focus starts on Cancel, Escape closes it (focus returns to the button), and
 * the consequence is spelled out before anything is revoked; a refusal is shown in the dialog.
 */
export function RevokeButton<T>({ label, title, consequence, confirm, revoke, onRevoked }: RevokeButtonProps<T>) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const mutation = useMutation({
    mutationFn: revoke,
    onSuccess: (revoked) => {
      dialogRef.current?.close();
      onRevoked(revoked);
    },
  });

  function open() {
    mutation.reset();
    dialogRef.current?.showModal();
    cancelRef.current?.focus();
  }

  return (
    <>
      <button type="button" className="btn btn-danger-outline btn-sm" onClick={open} aria-label={label}>
        Revoke
      </button>
      <dialog ref={dialogRef} className="confirm-dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            if (!mutation.isPending) mutation.mutate();
          }}
        >
          <div className="dialog-body">
            <h2 id={`${id}-title`}>{title}</h2>
            <p id={`${id}-desc`}>{consequence}</p>
            {mutation.isError ? (
              <div className="callout callout-danger" role="alert" style={{ marginTop: 12 }}>
                <span>
                  <strong>Not revoked.</strong> {errorMessage(mutation.error)}
                </span>
              </div>
            ) : null}
          </div>
          <div className="dialog-actions">
            <button type="button" className="btn btn-secondary" ref={cancelRef} autoFocus onClick={() => dialogRef.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="btn btn-danger" disabled={mutation.isPending}>
              {mutation.isPending ? 'Revoking…' : confirm}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
