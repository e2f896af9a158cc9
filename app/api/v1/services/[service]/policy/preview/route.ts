import { route } from '@/lib/http/route';
import { PolicyInput } from '@/lib/schemas';
import { previewPolicy } from '@/lib/use-cases/gates/release-gate';

export const dynamic = 'force-dynamic';

/** What the gate would answer now under this policy; nothing is stored. */
export const POST = route({ body: PolicyInput }, async ({ body, params, actor }) =>
  Response.json(await previewPolicy({ actor, service: params.service!, policy: body })),
);
