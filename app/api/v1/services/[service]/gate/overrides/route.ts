import { route } from '@/lib/http/route';
import { GateOverrideInput } from '@/lib/schemas';
import { createGateOverride, listGateOverrides } from '@/lib/use-cases/gates/gate-overrides';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params }) => Response.json({ overrides: await listGateOverrides({ service: params.service! }) }));

/** Lets one version through a failing gate until it expires; the reason is kept and shown. */
export const POST = route({ body: GateOverrideInput }, async ({ body, params, actor }) =>
  Response.json(await createGateOverride({ actor, service: params.service!, input: body }), { status: 201 }),
);
