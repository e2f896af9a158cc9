'use client';

import { useRef } from 'react';
import { CopyButton } from '../ui/copy-button';

export interface SnippetProps {
  /** What it is, for screen readers and the copy button: "SDK environment variables". */
  title: string;
  text: string;
}

/** A block of configuration to paste, with a copy button. */
export function Snippet({ title, text }: SnippetProps) {
  const ref = useRef<HTMLPreElement>(null);
  return (
    <div className="otel-snippet">
      {/* Focusable so keyboard users can scroll it and select its text. */}
      <pre ref={ref} tabIndex={0} aria-label={title}>
        {text}
      </pre>
      <span className="otel-snippet-copy">
        <CopyButton text={text} label={`Copy the ${title}`} fallbackTarget={() => ref.current} />
      </span>
    </div>
  );
}
