import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * The release-gate CLI this server ships (bin/umpire.mjs), so a pipeline fetches the version that matches its
 * Umpire: `curl -fsSL "$UMPIRE_URL/cli/umpire.mjs" -o umpire.mjs && node umpire.mjs gate ...`.
 */
export async function GET(): Promise<Response> {
  const source = await readFile(path.join(process.cwd(), 'bin', 'umpire.mjs'));
  return new Response(source, {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'content-disposition': 'attachment; filename="umpire.mjs"',
      'cache-control': 'no-cache',
    },
  });
}
