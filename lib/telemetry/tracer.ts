import { trace, type Tracer } from '@opentelemetry/api';
import packageJson from '../../package.json';

/** Umpire's own spans (evaluator passes, backend requests); a no-op tracer until the SDK starts. */
export function tracer(): Tracer {
  return trace.getTracer('umpire', packageJson.version);
}
