import { route } from '@/lib/http/route';
import { getDeployment } from '@/lib/use-cases/gates/deployments';

export const dynamic = 'force-dynamic';

/** The deploy and its budget ledger (per SLO: burned in the hour after it against the hour before). */
export const GET = route({}, async ({ params }) => Response.json(await getDeployment({ id: params.deployment! })));
