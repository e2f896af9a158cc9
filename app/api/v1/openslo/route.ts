import { z } from 'zod';
import { route } from '@/lib/http/route';
import { Slug } from '@/lib/schemas/common';
import { exportOpenSlo } from '@/lib/use-cases/openslo/openslo';

export const dynamic = 'force-dynamic';

const ExportQuery = z.object({
  team: z.string().trim().min(1, 'is empty').max(100, 'must be at most 100 characters').optional(),
  service: Slug.optional(),
});

/** The catalogue (every service, `?team=` or `?service=`) as OpenSLO v1 YAML (docs/openslo.md). */
export const GET = route({ query: ExportQuery }, async ({ query, actor }) => {
  const yaml = await exportOpenSlo({ actor, team: query.team, service: query.service });
  return new Response(yaml, { status: 200, headers: { 'content-type': 'application/yaml; charset=utf-8' } });
});
