import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules in eslint.config.mjs (docs/architecture.md, docs/decisions/0009-layers-by-lint.md), run on code that
// crosses a layer. Each import is written the way that slipped past the old text-matching rule where there was one.
const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'import/no-restricted-paths').map((m) => m.message);
}

describe('layers, enforced by lint on resolved paths', { timeout: 60_000 }, () => {
  it.each([
    ['lib/http/crossing.ts', 'lib/http maps requests', "import { db } from '../db/client';\nexport const x = db;\n"],
    ['components/services/crossing.tsx', 'Browser code', "import { db } from '../../lib/db/client';\nexport const x = db;\n"],
    ['components/crossing.tsx', 'Browser code', "import { audited } from '@/lib/use-cases/audit/audit';\nexport const x = audited;\n"],
    ['lib/queries/crossing.ts', 'Browser code', "import { env } from '../env';\nexport const x = env;\n"],
    ['lib/format/crossing.ts', 'serve the browser and the server alike', "import { db } from '../db/client';\nexport const x = db;\n"],
    ['lib/embed/crossing.ts', 'lib/embed draws', "import { Badge } from '@/components/badges';\nexport const x = Badge;\n"],
    ['lib/slo/crossing.ts', 'pure maths core', "import { audited } from '../use-cases/audit/audit';\nexport const x = audited;\n"],
    ['lib/db/crossing.ts', 'bottom layer', "import { audited } from '../use-cases/audit/audit';\nexport const x = audited;\n"],
    ['lib/use-cases/crossing.ts', 'do not call up', "import { route } from '../http/route';\nexport const x = route;\n"],
    ['app/api/v1/crossing/route.ts', 'go through lib/use-cases', "import { db } from '@/lib/db/client';\nexport const x = db;\n"],
    ['lib/notify/crossing.ts', 'lib/notify delivers what a use-case built', "import { db } from '../db/client';\nexport const x = db;\n"],
    ['lib/notify/slack/crossing.ts', 'lib/notify delivers', "import { audited } from '@/lib/use-cases/audit/audit';\nexport const x = audited;\n"],
    ['lib/notify/crossing.ts', 'only through the outbound guard', "import { sourceKinds } from '../sources/registry';\nexport const x = sourceKinds;\n"],
    ['components/crossing.tsx', 'Browser code', "import { adapters } from '@/lib/notify/registry';\nexport const x = adapters;\n"],
    ['lib/rules/crossing.ts', 'lib/rules, lib/openslo, lib/backstage and lib/catalog', "import { db } from '../db/client';\nexport const x = db;\n"],
    [
      'lib/openslo/crossing.ts',
      'lib/rules, lib/openslo, lib/backstage and lib/catalog',
      "import { findSloRecord } from '@/lib/db/slos';\nexport const x = findSloRecord;\n",
    ],
    [
      'lib/catalog/crossing.ts',
      'lib/rules, lib/openslo, lib/backstage and lib/catalog',
      "import { audited } from '@/lib/use-cases/audit/audit';\nexport const x = audited;\n",
    ],
    [
      'lib/backstage/crossing.ts',
      'lib/rules, lib/openslo, lib/backstage and lib/catalog',
      "import { findSloRecord } from '@/lib/db/slos';\nexport const x = findSloRecord;\n",
    ],
  ])('%s is refused: %s', async (file, reason, code) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(reason);
  });

  it('an import down the layers passes', async () => {
    expect(await layerErrors('app/api/v1/crossing/route.ts', "import { audited } from '@/lib/use-cases/audit/audit';\nexport const x = audited;\n")).toEqual(
      [],
    );
    expect(await layerErrors('lib/use-cases/crossing.ts', "import { db } from '../db/client';\nexport const x = db;\n")).toEqual([]);
    expect(
      await layerErrors('lib/notify/webhook/crossing.ts', "import { outboundFetch } from '../../sources/http/outbound';\nexport const x = outboundFetch;\n"),
    ).toEqual([]);
    expect(await layerErrors('lib/use-cases/crossing.ts', "import { sendToChannel } from '../notify/send';\nexport const x = sendToChannel;\n")).toEqual([]);
  });
});
