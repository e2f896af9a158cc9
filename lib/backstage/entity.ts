import { z } from 'zod';

/**
 * The parts of a Backstage catalog entity (https://backstage.io/docs/features/software-catalog/descriptor-format)
 * that Umpire reads. Other fields (uid, labels, relations, status, the spec of other kinds) are let through unread.
 */

export const BACKSTAGE_API_VERSION_PREFIX = 'backstage.io/';
export const BACKSTAGE_API_VERSIONS = ['backstage.io/v1alpha1', 'backstage.io/v1beta1'] as const;

/** zod's message for a field of the wrong type, or "is required" when it is absent. */
function typed(what: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`) };
}

const text = z.string(typed('a string'));

/** Backstage's rule for metadata.name: [a-zA-Z0-9] separated by one of [-_.], at most 63 characters. */
export const EntityName = z
  .string(typed('a string'))
  .min(1, 'is required')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$/, 'must be letters and digits separated by single -, _ or . (Backstage entity name)');

export const EntityLink = z.looseObject(
  {
    url: text.min(1, 'is required'),
    title: text.optional(),
    icon: text.optional(),
    type: text.optional(),
  },
  typed('a map with url and optional title, icon and type'),
);
export type EntityLink = z.infer<typeof EntityLink>;

export const EntityMetadata = z.looseObject(
  {
    name: EntityName,
    namespace: text.optional(),
    title: text.optional(),
    description: text.optional(),
    annotations: z.record(z.string(), text, typed('a map of strings')).optional(),
    tags: z.array(text, typed('a list of strings')).optional(),
    links: z.array(EntityLink, typed('a list of links')).optional(),
  },
  typed('a map with at least name'),
);
export type EntityMetadata = z.infer<typeof EntityMetadata>;

/** Every kind shares this envelope; only a Component's spec is read. */
export const Entity = z.looseObject({
  apiVersion: z.enum(BACKSTAGE_API_VERSIONS, { error: `must be ${BACKSTAGE_API_VERSIONS.join(' or ')}` }),
  kind: text.min(1, 'is required'),
  metadata: EntityMetadata,
});
export type Entity = z.infer<typeof Entity>;

export const ComponentSpec = z.looseObject(
  {
    // Backstage requires type and lifecycle too; Umpire only needs the owner, so a sparse entity still imports.
    type: text.optional(),
    lifecycle: text.optional(),
    owner: text.trim().min(1, 'is required'),
  },
  typed('a map with at least owner'),
);
export type ComponentSpec = z.infer<typeof ComponentSpec>;

/** A map whose apiVersion is a string starting with backstage.io/ (any version: checking it is the parser's job). */
export function isBackstageDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const apiVersion = (value as { apiVersion?: unknown }).apiVersion;
  return typeof apiVersion === 'string' && apiVersion.startsWith(BACKSTAGE_API_VERSION_PREFIX);
}
