import { route } from '@/lib/http/route';
import { PasswordChange } from '@/lib/schemas';
import { changePassword } from '@/lib/use-cases/access/sessions';

export const dynamic = 'force-dynamic';

/** The signed-in user's new password; their other sessions end. */
export const POST = route({ body: PasswordChange }, async ({ body, actor }) => {
  await changePassword({ actor, input: body });
  return new Response(null, { status: 204 });
});
