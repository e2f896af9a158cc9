import Link from 'next/link';

export interface ForbiddenProps {
  /** Why, as authorize() said it: "A viewer may not change SLOs". */
  reason: string;
  back: { href: string; label: string };
}

/** A page the signed-in person may not use: why, and the way back (never an empty form that fails on save). */
export function Forbidden({ reason, back }: ForbiddenProps) {
  return (
    <section className="centered-message" aria-labelledby="forbidden-title">
      <p className="muted">403</p>
      <h1 id="forbidden-title">You may not do this</h1>
      <p>{reason}. An admin can change your role or teams.</p>
      <Link href={back.href} className="btn btn-primary">
        {back.label}
      </Link>
    </section>
  );
}
