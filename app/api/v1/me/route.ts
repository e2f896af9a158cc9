import { route } from '@/lib/http/route';
import { describeActor } from '@/lib/use-cases/access/sessions';

export const dynamic = 'force-dynamic';

/** Who this request acts as (a session, a token, or nobody) and what it may do. */
export const GET = route({ access: 'public' }, async ({ actor }) => Response.json(await describeActor(actor), { headers: { 'cache-control': 'no-store' } }));
