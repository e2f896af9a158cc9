import { z } from 'zod';
import { MAX_FILE_CHARS } from '@/lib/openslo/parse';
import { readBodyBytes } from './client-abort';
import { errorResponse } from './route';

// The body and query of POST /api/v1/catalog/plan and /apply (docs/gitops.md): one YAML file as application/yaml
// (`?file=` names it in messages), or a folder as application/json {files: [{name, text}]}.

const YAML_TYPES = /^(application|text)\/(x-)?yaml\b/i;
const JSON_TYPES = /^application\/json\b/i;

/** A folder's files together may be this large; each file is limited to MAX_FILE_CHARS when it is read. */
export const MAX_CATALOG_BYTES = 8 * 1024 * 1024;
export const MAX_CATALOG_FILES = 500;

const FileName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(300, 'must be at most 300 characters')
  .refine((name) => !/[\u0000-\u001f]/.test(name), 'must not contain control characters');

const CatalogFiles = z.strictObject({
  files: z
    .array(z.strictObject({ name: FileName, text: z.string({ error: 'must be the file text' }) }), { error: 'must be a list of {name, text}' })
    .min(1, 'names no file')
    .max(MAX_CATALOG_FILES, `holds more than ${MAX_CATALOG_FILES} files`),
});

const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true' || v === '1');

/** Query of the catalog routes. A source names a repository: never a URL carrying credentials. */
export const CatalogQuery = z.object({
  file: FileName.optional(),
  source: z
    .string()
    .trim()
    .min(1, 'is empty')
    .max(300, 'must be at most 300 characters')
    .regex(/^[^\s@?#]+$/, 'must name a repository without spaces, credentials, query or fragment, e.g. github.com/acme/slos')
    .refine((source) => !source.includes('://'), 'must name a repository without its scheme, e.g. github.com/acme/slos')
    .optional(),
  revision: z.string().trim().min(1, 'is empty').max(100, 'must be at most 100 characters').optional(),
  prune: flag,
  dryRun: flag,
});
export type CatalogQuery = z.infer<typeof CatalogQuery>;

export type CatalogFilesRead = { ok: true; files: Array<{ name: string; text: string }> } | { ok: false; response: Response };

/** The files of a plan or apply request, or the 4xx that says why they cannot be read. */
export async function readCatalogFiles(request: Request, query: CatalogQuery): Promise<CatalogFilesRead> {
  const type = request.headers.get('content-type') ?? '';
  const yaml = YAML_TYPES.test(type);
  if (!yaml && !JSON_TYPES.test(type)) {
    return {
      ok: false,
      response: errorResponse(415, 'unsupported_media_type', 'Send one file as application/yaml, or several as application/json {files: [{name, text}]}'),
    };
  }
  const limit = yaml ? MAX_FILE_CHARS : MAX_CATALOG_BYTES;
  const tooLarge = () => ({
    ok: false as const,
    response: errorResponse(413, 'too_large', `The ${yaml ? 'file' : 'body'} is over ${limit / 1024 / 1024} MiB`),
  });
  if (Number(request.headers.get('content-length') ?? '0') > limit) return tooLarge();
  // Read up to the limit and no further, whatever the request declared (a chunked body declares nothing).
  const bytes = await readBodyBytes(request, limit);
  if (bytes === null) return tooLarge();
  const text = new TextDecoder().decode(bytes);
  if (text.includes('\u0000')) return { ok: false, response: errorResponse(400, 'invalid_input', 'The files must not contain NUL characters') };
  if (yaml) return { ok: true, files: [{ name: query.file ?? 'request', text }] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, response: errorResponse(400, 'invalid_json', `Body is not valid JSON: ${error instanceof Error ? error.message : 'unreadable'}`) };
  }
  const parsed = CatalogFiles.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '_';
    return { ok: false, response: errorResponse(400, 'invalid_input', `Invalid body: ${field} ${issue.message}`, { [field]: issue.message }) };
  }
  if (parsed.data.files.some((f) => f.text.includes('\u0000'))) {
    return { ok: false, response: errorResponse(400, 'invalid_input', 'The files must not contain NUL characters') };
  }
  return { ok: true, files: parsed.data.files };
}

/** A refused plan or apply: 422 for files Umpire cannot take, 409 for objects another source manages. */
export function catalogRefusal(code: 'invalid_catalog' | 'managed_elsewhere' | 'invalid_openslo', errors: string[]): Response {
  const status = code === 'managed_elsewhere' ? 409 : 422;
  const message =
    code === 'managed_elsewhere'
      ? `${errors.length} object${errors.length === 1 ? ' is' : 's are'} managed elsewhere`
      : `${errors.length} problem${errors.length === 1 ? '' : 's'} in the files`;
  return Response.json({ error: { code, message, errors } }, { status });
}
