'use client';

/**
 * A script that runs while the HTML is parsed (full page loads) and is inert when React renders it on the
 * client (type text/plain), so React never creates a live <script> and never warns about one. The nonce is
 * the page's Content-Security-Policy nonce (proxy.ts): without it the browser would refuse the script.
 */
export function InlineScript({ html, nonce }: { html: string; nonce?: string | undefined }) {
  return (
    <script
      type={typeof window === 'undefined' ? 'text/javascript' : 'text/plain'}
      nonce={nonce}
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
