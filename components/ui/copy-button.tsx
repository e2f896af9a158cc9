'use client';

import { useEffect, useRef, useState } from 'react';

export interface CopyButtonProps {
  text: string;
  /** Accessible name, e.g. "Copy the token"; the visible label is "Copy". */
  label: string;
  className?: string;
  /** Selected when the clipboard cannot be written (an insecure origin), so Ctrl+C still works. */
  fallbackTarget?: () => HTMLInputElement | HTMLTextAreaElement | HTMLElement | null;
}

/** Copies `text`; says so for two seconds (announced politely), or says to copy by hand when the browser refuses. */
export function CopyButton({ text, label, className, fallbackTarget }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => (timer.current ? clearTimeout(timer.current) : undefined), []);

  function selectFallback() {
    const target = fallbackTarget?.();
    if (!target) return;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
      target.focus();
      target.select();
      return;
    }
    const range = document.createRange();
    range.selectNodeContents(target);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  }

  async function copy() {
    if (timer.current) clearTimeout(timer.current);
    let next: 'copied' | 'failed' = 'copied';
    try {
      // Absent on insecure origins (plain http other than localhost).
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
    } catch {
      next = 'failed';
      selectFallback();
    }
    setState(next);
    timer.current = setTimeout(() => setState('idle'), next === 'failed' ? 8000 : 2000);
  }

  return (
    <>
      <button type="button" className={className ?? 'btn btn-secondary btn-sm'} aria-label={label} onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className={state === 'failed' ? 'field-hint' : 'visually-hidden'} role="status">
        {state === 'copied'
          ? 'Copied to the clipboard'
          : state === 'failed'
            ? 'The browser did not allow copying: the text is selected, press Ctrl+C (⌘C) to copy it.'
            : ''}
      </span>
    </>
  );
}
