'use client';

import Link from 'next/link';

/** A failing backend is shown, not hidden: the message, and a way to try again. */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="centered-message" aria-labelledby="error-title">
      <h1 id="error-title">This page could not be loaded</h1>
      <p role="alert">
        {error.message || 'The server failed to answer.'}
        {error.digest ? <span className="muted small"> (reference {error.digest})</span> : null}
      </p>
      <div className="page-actions" style={{ justifyContent: 'center' }}>
        <button type="button" className="btn btn-primary" onClick={reset}>
          Try again
        </button>
        <Link href="/" className="btn btn-secondary">
          All services
        </Link>
      </div>
    </section>
  );
}
