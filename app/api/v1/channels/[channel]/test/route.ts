import { route } from '@/lib/http/route';
import { sendTestNotification } from '@/lib/use-cases/notifications/send-test';

export const dynamic = 'force-dynamic';

/** Sends a test notification now; a receiver that fails is a 200 with ok false, its status code and answer. */
export const POST = route({}, async ({ params, actor }) => Response.json(await sendTestNotification({ actor, channel: params.channel! })));
