import { route } from '@/lib/http/route';
import { SilenceInput, SilenceQuery } from '@/lib/schemas';
import { createSilence, listSilences } from '@/lib/use-cases/notifications/silences';

export const dynamic = 'force-dynamic';

/** ?active=true (the default): those holding notifications now; false: past ones; all. */
export const GET = route({ query: SilenceQuery }, async ({ query }) => Response.json({ silences: await listSilences({ active: query.active }) }));

export const POST = route({ body: SilenceInput }, async ({ body, actor }) => Response.json(await createSilence({ actor, input: body }), { status: 201 }));
