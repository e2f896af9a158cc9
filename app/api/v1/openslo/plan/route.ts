import { route } from '@/lib/http/route';
import { MAX_FILE_CHARS } from '@/lib/openslo/parse';
import { planOpenSlo } from '@/lib/use-cases/openslo/openslo';

export const dynamic = 'force-dynamic';

const YAML_TYPES = /^(application|text)\/(x-)?yaml\b/i;

const refused = (status: number, code: string, message: string, errors?: string[]) =>
  Response.json({ error: { code, message, ...(errors ? { errors } : {}) } }, { status });

/**
 * What applying an OpenSLO v1 file (the request's application/yaml body, `?file=` naming it in messages) would
 * create or change, field by field; nothing is written. A file Umpire refuses is a 422 with every message.
 */
export const POST = route({}, async ({ request, actor }) => {
  if (!YAML_TYPES.test(request.headers.get('content-type') ?? '')) {
    return refused(415, 'unsupported_media_type', 'Send the OpenSLO documents as application/yaml');
  }
  const text = await request.text();
  if (text.length > MAX_FILE_CHARS) return refused(413, 'too_large', `The file is over ${MAX_FILE_CHARS / 1024 / 1024} MiB`);
  const name = new URL(request.url).searchParams.get('file')?.slice(0, 200) || 'request';
  const plan = await planOpenSlo({ actor, files: [{ name, text }] });
  if (!plan.ok)
    return refused(422, 'invalid_openslo', `${plan.errors.length} problem${plan.errors.length === 1 ? '' : 's'} in the OpenSLO documents`, plan.errors);
  return Response.json({ steps: plan.steps });
});
