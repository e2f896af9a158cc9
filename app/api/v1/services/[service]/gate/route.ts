import { route } from '@/lib/http/route';
import { GateRequest } from '@/lib/schemas';
import { evaluateReleaseGate } from '@/lib/use-cases/gates/release-gate';

export const dynamic = 'force-dynamic';

/** A pipeline asks whether a version may be released: 200 whatever the verdict (the verdict is the answer). */
export const POST = route({ body: GateRequest }, async ({ body, params, actor }) =>
  Response.json(await evaluateReleaseGate({ actor, service: params.service!, request: body })),
);
