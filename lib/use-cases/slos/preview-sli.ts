import { authorize, type Actor } from '../../auth/authorize';
import type { SliPreviewResult, SliSpec } from '../../schemas/index';
import { kindOf } from '../../sources/registry';
import { sourceDeps } from '../evaluation/source-deps';

/**
 * Runs an SLI before it is saved: the hour and the day before the last whole minute (or before `at`, to see what it
 * said then) and a 24-hour sparkline, or the source's error verbatim.
 */
export async function previewSli({
  actor,
  sli,
  at: asked,
  now = new Date(),
}: {
  actor: Actor;
  sli: SliSpec;
  at?: Date;
  now?: Date;
}): Promise<SliPreviewResult> {
  await authorize(actor, 'sli.preview');
  const at = new Date(Math.floor(Math.min(now.getTime(), asked?.getTime() ?? Infinity) / 60_000) * 60_000);
  return kindOf(sli).preview(sli, at, sourceDeps);
}
