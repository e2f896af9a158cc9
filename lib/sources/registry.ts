import type { SliSpec } from '../schemas';
import { demoSource } from './demo/demo-source';
import type { PullSource } from './types';

/** The adapter for an SLI spec's source. Adding a source means adding a case here and a folder beside demo/. */
export function sourceFor(spec: SliSpec): PullSource {
  switch (spec.source) {
    case 'demo':
      return demoSource as PullSource;
  }
}
