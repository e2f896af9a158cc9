import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { Metadata, type DocumentAt, type OpenSloDocument, type OpenSloKind, SPEC_BY_KIND } from './schema';

/** One YAML file: its name is only used in messages. A folder is several of these. */
export interface OpenSloFile {
  name: string;
  text: string;
}

export type OpenSloResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** A file larger than this is refused before it is parsed at all. */
export const MAX_FILE_CHARS = 4 * 1024 * 1024;
/** One document larger than this is refused: an SLO definition is a few kilobytes. */
export const MAX_DOCUMENT_CHARS = 256 * 1024;
/** Aliases a document may expand; "billion laughs" files need thousands. */
export const MAX_ALIAS_COUNT = 100;
export const MAX_DOCUMENTS = 1000;

export const API_VERSION = 'openslo/v1';

/** `slos.yaml#2 SLO checkout-availability`: the file, the document's 1-based position, its kind and name when known. */
export function describeDocument(at: DocumentAt, kind?: string, name?: string): string {
  return [`${at.file}#${at.index}`, kind, name].filter(Boolean).join(' ');
}

/** ['spec', 'objectives', 0, 'target'] -> spec.objectives[0].target */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

function issues(error: z.ZodError, prefix: string, where: string): string[] {
  return error.issues.map((issue) => `${where}: ${fieldPath([prefix, ...issue.path])}: ${issue.message}`);
}

/** One YAML document as read, before any format looks at it: the value and where it came from. */
export interface RawDocument {
  value: unknown;
  at: DocumentAt;
}

/**
 * Reads every YAML document of the files, of whatever format. Never throws on input: YAML syntax errors, alias
 * bombs and oversize files or documents come back as messages naming the file and the document, beside the
 * documents that could be read (so one bad file does not hide the others' problems). Empty documents (e.g. after a
 * trailing ---) are left out.
 */
export function readYamlDocuments(files: OpenSloFile[]): { documents: RawDocument[]; errors: string[] } {
  const errors: string[] = [];
  const documents: RawDocument[] = [];
  for (const file of files) {
    if (file.text.length > MAX_FILE_CHARS) {
      errors.push(`${file.name}: is larger than ${MAX_FILE_CHARS} characters`);
      continue;
    }
    const parsed = parseAllDocuments(file.text, { prettyErrors: false, uniqueKeys: true });
    // parseAllDocuments answers an EmptyStream (an array with an `empty` flag) for a file without documents.
    const docs = Array.from(parsed);
    if (docs.length > MAX_DOCUMENTS) {
      errors.push(`${file.name}: holds more than ${MAX_DOCUMENTS} documents`);
      continue;
    }
    docs.forEach((doc, i) => {
      const at = { file: file.name, index: i + 1 };
      const where = describeDocument(at);
      const [start, , end] = doc.range;
      if (end - start > MAX_DOCUMENT_CHARS) {
        errors.push(`${where}: is larger than ${MAX_DOCUMENT_CHARS} characters`);
        return;
      }
      if (doc.errors.length > 0) {
        errors.push(...doc.errors.map((e) => `${where}: not valid YAML: ${e.message.split('\n')[0]}`));
        return;
      }
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        // yaml throws when aliases expand past maxAliasCount ("resource exhaustion attack").
        errors.push(`${where}: ${error instanceof Error ? error.message : 'cannot be read'}`);
        return;
      }
      // PostgreSQL cannot store NUL (U+0000): a YAML escape ("\0", "\x00") makes one in a value or key.
      if (holdsNul(value)) {
        errors.push(`${where}: holds a NUL character (U+0000), which Umpire cannot store`);
        return;
      }
      if (value !== null && value !== undefined) documents.push({ value, at });
    });
  }
  return { documents, errors };
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([key, v]) => key.includes('\u0000') || holdsNul(v));
  return false;
}

/**
 * Reads every OpenSLO v1 document of the files. Never throws on input: YAML syntax errors, alias bombs, oversize
 * documents, unknown apiVersions or kinds and spec violations all come back as messages naming the file, the
 * document, its kind and name when known, and the field.
 */
export function parseOpenSlo(files: OpenSloFile[]): OpenSloResult<OpenSloDocument[]> {
  const read = readYamlDocuments(files);
  const checked = openSloDocuments(read.documents);
  const errors = [...read.errors, ...(checked.ok ? [] : checked.errors)];
  return errors.length > 0 ? { ok: false, errors } : checked;
}

/** The OpenSLO v1 documents among documents already read: every refusal, or every document checked. */
export function openSloDocuments(raw: readonly RawDocument[]): OpenSloResult<OpenSloDocument[]> {
  const errors: string[] = [];
  const documents: OpenSloDocument[] = [];
  for (const { value, at } of raw) {
    const read = readDocument(value, at);
    if (read.ok) documents.push(read.value);
    else errors.push(...read.errors);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: documents };
}

function readDocument(value: unknown, at: DocumentAt): OpenSloResult<OpenSloDocument> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [`${describeDocument(at)}: must be a map with apiVersion, kind, metadata and spec`] };
  }
  const raw = value as Record<string, unknown>;
  const kind = typeof raw.kind === 'string' ? raw.kind : undefined;
  const rawName = (raw.metadata as { name?: unknown } | null | undefined)?.name;
  const where = describeDocument(at, kind, typeof rawName === 'string' ? rawName : undefined);
  if (raw.apiVersion !== API_VERSION)
    return { ok: false, errors: [`${where}: apiVersion: must be ${API_VERSION}, not ${JSON.stringify(raw.apiVersion ?? null)}`] };
  if (kind === undefined || !Object.hasOwn(SPEC_BY_KIND, kind)) {
    return { ok: false, errors: [`${where}: kind: must be one of ${Object.keys(SPEC_BY_KIND).join(', ')}, not ${JSON.stringify(raw.kind ?? null)}`] };
  }
  const extra = Object.keys(raw).filter((key) => !['apiVersion', 'kind', 'metadata', 'spec'].includes(key));
  const errors = extra.map((key) => `${where}: ${key}: is not an OpenSLO field`);
  const metadata = Metadata.safeParse(raw.metadata);
  if (!metadata.success) errors.push(...issues(metadata.error, 'metadata', where));
  const spec = SPEC_BY_KIND[kind as OpenSloKind].safeParse(raw.spec);
  if (!spec.success) errors.push(...issues(spec.error, 'spec', where));
  if (errors.length > 0 || !metadata.success || !spec.success) return { ok: false, errors };
  return { ok: true, value: { kind, metadata: metadata.data, spec: spec.data, at } as OpenSloDocument };
}
