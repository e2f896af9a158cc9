import type { ServiceInput, SloInput } from '@/lib/schemas/index';
import { type OpenSloFile, type OpenSloResult, openSloDocuments, readYamlDocuments, type RawDocument } from '../openslo/parse';
import { toUmpire, type NotifyTarget } from '../openslo/to-umpire';

/** What a set of files defines, each object with the file it came from (docs/gitops.md). */
export interface CatalogDefinitions {
  services: Array<{ input: ServiceInput; file: string }>;
  /** `targets`: its OpenSLO notification targets, when it has any. */
  slos: Array<{ service: string; input: SloInput; file: string; targets?: NotifyTarget[] }>;
  /** Documents read but not imported, with the reason (e.g. a Backstage API entity). */
  skipped: string[];
}

/** A format the catalogue reads besides OpenSLO: which documents are its own, and the services they define. */
export interface CatalogFormat {
  owns(value: unknown): boolean;
  services(documents: readonly RawDocument[]): OpenSloResult<{ services: Array<{ input: ServiceInput; at: { file: string } }>; skipped: string[] }>;
}

/**
 * Reads the files as OpenSLO v1, and as the other formats given (Backstage catalog-info.yaml) where a document is
 * theirs: every refusal from every file, or everything they define. A service defined twice (in two formats, or
 * two files) is refused, naming both.
 */
export function importCatalog(files: OpenSloFile[], formats: readonly CatalogFormat[] = []): OpenSloResult<CatalogDefinitions> {
  const read = readYamlDocuments(files);
  const errors = [...read.errors];
  const openslo: RawDocument[] = [];
  const others = formats.map(() => [] as RawDocument[]);
  for (const doc of read.documents) {
    const format = formats.findIndex((f) => f.owns(doc.value));
    (format >= 0 ? others[format]! : openslo).push(doc);
  }
  const services: CatalogDefinitions['services'] = [];
  const slos: CatalogDefinitions['slos'] = [];
  const skipped: string[] = [];
  const checked = openSloDocuments(openslo);
  const mapped = checked.ok ? toUmpire(checked.value) : checked;
  if (mapped.ok) {
    const origin = mapped.value.files ?? { services: {}, slos: {} };
    for (const input of mapped.value.services) services.push({ input, file: origin.services[input.slug] ?? '' });
    for (const { service, input, targets } of mapped.value.slos) {
      slos.push({ service, input, file: origin.slos[`${service}/${input.slug}`] ?? '', ...(targets ? { targets } : {}) });
    }
  } else errors.push(...mapped.errors);
  formats.forEach((format, i) => {
    if (others[i]!.length === 0) return;
    const result = format.services(others[i]!);
    if (!result.ok) return void errors.push(...result.errors);
    skipped.push(...result.value.skipped);
    const bySlug = new Map(services.map((s) => [s.input.slug, s]));
    for (const { input, at } of result.value.services) {
      const earlier = bySlug.get(input.slug);
      if (earlier) errors.push(`${at.file}: service ${input.slug}: is also defined in ${earlier.file}`);
      else {
        const entry = { input, file: at.file };
        services.push(entry);
        bySlug.set(input.slug, entry);
      }
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { services, slos, skipped } };
}
