import type { DemoSli } from '../../schemas';
import type { MinuteBucket, PullSource } from '../types';
import { generateDemoBuckets } from './generator';

/** The built-in synthetic source: computed, never fetched, so it cannot fail or time out. */
export const demoSource: PullSource<DemoSli> = {
  kind: 'demo',
  // Its whole history (90 days) in one pass, newest day first: about 4 s of work that reads no backend.
  backfillDaysPerPass: 90,
  async fetchBuckets(spec, range): Promise<MinuteBucket[]> {
    return generateDemoBuckets(spec, range.from, range.to);
  },
};
