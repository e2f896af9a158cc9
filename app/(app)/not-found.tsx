import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="centered-message" aria-labelledby="notfound-title">
      <p className="muted">404</p>
      <h1 id="notfound-title">Not found</h1>
      <p>There is no service, SLO or data source at this address. It may have been deleted or renamed.</p>
      <Link href="/" className="btn btn-primary">
        Back to all services
      </Link>
    </section>
  );
}
