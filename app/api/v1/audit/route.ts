import { route } from '@/lib/http/route';
import { AuditQuery } from '@/lib/schemas';
import { listAudit } from '@/lib/use-cases/audit/audit';

export const dynamic = 'force-dynamic';

/** Who changed what, when, with the object before and after; newest first, `nextCursor` for the next page. */
export const GET = route({ query: AuditQuery }, async ({ actor, query }) => Response.json(await listAudit({ actor, query })));
