import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { AuditTrail } from '@/components/audit/audit-trail';
import { Forbidden } from '@/components/auth/forbidden';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { AuditTargetType } from '@/lib/schemas';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Audit trail' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

/** Admins: every change anyone made, newest first; filter by who, what and which kind of object. */
export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const refused = refusal(await requireReader(), 'audit.read', { audit: 'all' });
  if (refused) return <Forbidden reason={refused} back={{ href: '/', label: 'All services' }} />;
  const params = await searchParams;
  const type = AuditTargetType.safeParse(first(params.type));
  const actor = first(params.actor)?.slice(0, 200);
  // One token's history (the tokens page links here); something that is not a token id is ignored, and said so.
  const askedToken = first(params.token);
  const parsedToken = z.uuid().safeParse(askedToken);
  const token = parsedToken.success ? parsedToken.data : undefined;
  const scope = { ...(type.success ? { type: type.data } : {}), ...(actor ? { actor } : {}), ...(token ? { token } : {}) };
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Audit trail</h1>
          <p className="page-lede">Who changed what, and when, with the object before and after. The same trail is at GET /api/v1/audit.</p>
        </div>
      </div>
      <form className="filters" method="get" aria-label="Filter the audit trail">
        <div className="filter-field">
          <label htmlFor="audit-type">Kind</label>
          <select id="audit-type" name="type" defaultValue={type.success ? type.data : ''}>
            <option value="">Everything</option>
            {AuditTargetType.options.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-field">
          <label htmlFor="audit-actor">Who</label>
          <input id="audit-actor" name="actor" type="text" defaultValue={actor ?? ''} placeholder="a username" />
        </div>
        {token ? <input type="hidden" name="token" value={token} /> : null}
        <div className="filter-actions">
          <button type="submit" className="btn btn-secondary">
            Filter
          </button>
        </div>
      </form>
      {askedToken !== undefined && !token ? (
        <p className="callout callout-warning" role="alert">
          <span>“{askedToken.slice(0, 100)}” is not a token id: showing every change.</span>
        </p>
      ) : null}
      {token ? (
        <p className="callout callout-info">
          <span>
            Showing one token’s history. <Link href="/audit">Show every change</Link>
          </span>
        </p>
      ) : null}
      <AuditTrail key={JSON.stringify(scope)} scope={scope} title="Changes" showTarget />
    </>
  );
}
