import { parseOpenSlo, type OpenSloFile, type OpenSloResult } from './parse';
import { toUmpire, type UmpireDefinitions } from './to-umpire';

export { fromUmpire } from './from-umpire';
export { parseOpenSlo, type OpenSloFile, type OpenSloResult } from './parse';
export { toUmpire, type NotifyTarget, type UmpireDefinitions, ANNOTATION } from './to-umpire';

/** Parses the files and maps them: every message from whichever step refused. */
export function importOpenSlo(files: OpenSloFile[]): OpenSloResult<UmpireDefinitions> {
  const parsed = parseOpenSlo(files);
  return parsed.ok ? toUmpire(parsed.value) : parsed;
}
