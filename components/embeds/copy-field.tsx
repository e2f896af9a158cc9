'use client';

import { useRef } from 'react';
import { CopyButton } from '../ui/copy-button';

export interface CopyFieldProps {
  id: string;
  /** Names the field and its copy button: "iframe HTML". */
  label: string;
  value: string;
  hint?: string;
}

/** Read-only text to paste elsewhere, selected on focus, with a copy button (selection is the fallback). */
export function CopyField({ id, label, value, hint }: CopyFieldProps) {
  const ref = useRef<HTMLTextAreaElement>(null);
  return (
    <div className="field embed-copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="embed-copy-row">
        <textarea
          ref={ref}
          id={id}
          readOnly
          spellCheck={false}
          rows={Math.min(4, Math.max(1, Math.ceil(value.length / 110)))}
          value={value}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton text={value} label={`Copy the ${label}`} fallbackTarget={() => ref.current} />
      </div>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
