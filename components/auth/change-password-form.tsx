'use client';

import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { changePassword } from '@/lib/queries/auth';
import { placeErrors } from '../form/form-errors';
import { ErrorSummary, Field, type FieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';

const FIELDS: Record<string, { id: string; label: string }> = {
  currentPassword: { id: 'current-password', label: 'Current password' },
  newPassword: { id: 'new-password', label: 'New password' },
  confirm: { id: 'new-password-again', label: 'New password again' },
};

/** A new password for the signed-in user; their other sessions end (this one stays). */
export function ChangePasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) => Object.keys(fields).map((path) => FIELDS[path]?.id ?? 'form-error'));
  const [done, setDone] = useState(false);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const mutation = useMutation({
    mutationFn: () => changePassword({ currentPassword: current, newPassword: next }),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
      clear();
      setDone(true);
      requestAnimationFrame(() => doneRef.current?.focus());
    },
    onError: (error) => showApiError(error, (path) => path in FIELDS),
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    const local: FieldErrors = {};
    if (!current) local.currentPassword = 'is required';
    if (next.length < 12) local.newPassword = 'must be at least 12 characters';
    if (confirm !== next) local.confirm = 'does not match the new password';
    if (Object.keys(local).length > 0) return show(local, null);
    mutation.mutate();
  }

  const summary = placeErrors(errors, (path) => FIELDS[path]).summary;
  return (
    <form className="form-section" noValidate onSubmit={onSubmit} aria-labelledby="password-change-title" style={{ maxWidth: 820 }}>
      <h2 id="password-change-title" className="form-section-title">
        Password
      </h2>
      <ErrorSummary message={formError} items={summary} />
      <div className="field-row two">
        <Field id="current-password" label="Current password" error={errors.currentPassword}>
          {(a) => <input {...a} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />}
        </Field>
      </div>
      <div className="field-row two">
        <Field id="new-password" label="New password" error={errors.newPassword} hint="At least 12 characters.">
          {(a) => <input {...a} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />}
        </Field>
        <Field id="new-password-again" label="New password again" error={errors.confirm}>
          {(a) => <input {...a} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Changing…' : 'Change password'}
        </button>
      </div>
      <p ref={doneRef} tabIndex={-1} role="status" className={done ? 'callout callout-info' : 'visually-hidden'}>
        {done ? 'Password changed. Your other sessions were signed out.' : ''}
      </p>
    </form>
  );
}
