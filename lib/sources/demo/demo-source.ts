import type { DemoSli } from '../../schemas';
import type { MinuteBucket, PullSource } from '../types';
import { generateDemoBuckets } from './generator';

/** The built-in synthetic source: computed, never fetched, so it cannot fail or time out. */
export const demoSource: PullSource<DemoSli> = {
  kind: 'demo',
  async fetchBuckets(spec, range): Promise<MinuteBucket[]> {
    return generateDemoBuckets(spec, range.from, range.to);
  },
};
