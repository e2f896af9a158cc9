'use client';

/**
 * A script that runs while the HTML is parsed (full page loads) and is inert when React renders it on the
 * client (type text/plain), so React never creates a live <script> and never warns about one.
 */
export function InlineScript({ html }: { html: string }) {
  return (
    <script type={typeof window === 'undefined' ? 'text/javascript' : 'text/plain'} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: html }} />
  );
}
