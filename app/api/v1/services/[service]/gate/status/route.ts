import { route } from '@/lib/http/route';
import { previewGate } from '@/lib/use-cases/gates/release-gate';

export const dynamic = 'force-dynamic';

/** The gate as it would answer now with the service's policy; nothing is stored. */
export const GET = route({}, async ({ params }) => Response.json(await previewGate({ service: params.service! })));
