'use client';

export { slugify } from './values';

export { zodFieldErrors, type FieldErrors } from '@/lib/schemas/field-errors';
export { apiErrors } from './form-errors';

/** Messages read as sentences after the field's name ("Slug is already taken"); full sentences stay as they are. */
export function fieldMessage(label: string, message: string): string {
  return /^[A-Z]/.test(message) ? message : `${label} ${message}`;
}

export interface FieldA11y {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A control whose error shows in an <InlineError> with the id `${id}-error` (a table cell, a group). */
export function controlA11y(id: string, error: string | undefined): FieldA11y {
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
}

export interface FieldProps {
  id: string;
  label: string;
  error?: string;
  hint?: React.ReactNode;
  optional?: boolean;
  className?: string;
  children: (a11y: FieldA11y) => React.ReactNode;
}

/** A labelled control with its hint and error wired through aria-describedby / aria-invalid. */
export function Field({ id, label, error, hint, optional, className, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${className ?? ''}`.trim()}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="optional"> (optional)</span> : null}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {fieldMessage(label, error)}
        </p>
      ) : null}
    </div>
  );
}

/** An error message under a control that has no <Field> of its own (a table cell, a group). */
export function InlineError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id}>
      {message}
    </p>
  );
}

export interface ErrorSummaryProps {
  message: string | null;
  /** Field errors with where they are and what to call them. */
  items: Array<{ id: string; label: string; message: string }>;
}

/** The form-level error: what went wrong, with links to each field that needs attention. */
export function ErrorSummary({ message, items }: ErrorSummaryProps) {
  if (!message && items.length === 0) return null;
  return (
    <div className="callout callout-danger form-error" role="alert" tabIndex={-1} id="form-error">
      <div>
        <strong>{message ?? `Please correct ${items.length === 1 ? 'the field' : `the ${items.length} fields`} marked below.`}</strong>
        {items.length > 0 ? (
          <ul>
            {items.map((item) => (
              <li key={item.id}>
                <a href={`#${item.id}`}>{fieldMessage(item.label, item.message)}</a>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

/** Moves focus to the first field with an error, or to the summary when no field can hold it. */
export function focusFirstError(ids: string[]): void {
  // After React commits the error state, so aria-invalid is set when assistive tech reads the field.
  requestAnimationFrame(() => {
    const target = ids.map((id) => document.getElementById(id)).find((el) => el !== null) ?? document.getElementById('form-error');
    target?.focus();
  });
}

export interface ChoicesProps<V extends string> {
  /** The radio group's name; each input's id is `${idPrefix}-${value}` (errors point at the first). */
  name: string;
  idPrefix: string;
  /** The group's legend; shown, or only to screen readers when the section above already says it. */
  legend: string;
  legendHidden?: boolean;
  value: V;
  options: ReadonlyArray<readonly [V, string, string]>;
  onChange: (value: V) => void;
  /** An error for the group, shown under it and announced with it. */
  error?: string;
  style?: React.CSSProperties;
}

/** A group of choice cards (a radio, a title, a line of detail), as the forms' one-of-few settings are shown. */
export function Choices<V extends string>({ name, idPrefix, legend, legendHidden, value, options, onChange, error, style }: ChoicesProps<V>) {
  const errorId = `${idPrefix}-${options[0]?.[0] ?? 'choice'}-error`;
  return (
    <fieldset className="choice-group" aria-describedby={error ? errorId : undefined} style={style}>
      <legend className={legendHidden ? 'visually-hidden' : undefined}>{legend}</legend>
      <div className="choices">
        {options.map(([option, title, detail]) => (
          <label key={option} className="choice">
            <input id={`${idPrefix}-${option}`} type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
            <span>
              <strong>{title}</strong>
              <small>{detail}</small>
            </span>
          </label>
        ))}
      </div>
      <InlineError id={errorId} message={error ? fieldMessage(legend, error) : undefined} />
    </fieldset>
  );
}
