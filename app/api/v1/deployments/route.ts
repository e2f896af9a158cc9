import { route } from '@/lib/http/route';
import { DeploymentInput } from '@/lib/schemas';
import { recordDeployment } from '@/lib/use-cases/gates/deployments';

export const dynamic = 'force-dynamic';

export const POST = route({ body: DeploymentInput }, async ({ body, actor }) => {
  const deployment = await recordDeployment({ actor, input: body });
  return Response.json(deployment, { status: 201, headers: { location: `/api/v1/deployments/${deployment.id}` } });
});
