import { route } from '@/lib/http/route';
import { authConfig } from '@/lib/use-cases/access/sessions';

export const dynamic = 'force-dynamic';

/** What the sign-in page offers: passwords, single sign-on, anonymous reading, or the first admin's setup. */
export const GET = route({ access: 'public' }, async () => Response.json(await authConfig(), { headers: { 'cache-control': 'no-store' } }));
