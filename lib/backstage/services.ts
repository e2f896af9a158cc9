import type { z } from 'zod';
import { Slug } from '@/lib/schemas/common';
import { ServiceInput, type ServiceLinks } from '@/lib/schemas/service';
import { describeDocument, fieldPath, type OpenSloResult, type RawDocument } from '../openslo/parse';
import { ComponentSpec, Entity, type EntityMetadata } from './entity';

type DocumentAt = RawDocument['at'];

/** Annotations Umpire reads on a Component, besides Backstage's own. */
export const ANNOTATION = {
  slug: 'umpire.dev/slug',
  tier: 'umpire.dev/tier',
  sourceLocation: 'backstage.io/source-location',
} as const;

export interface BackstageImport {
  services: Array<{ input: ServiceInput; at: DocumentAt }>;
  /** Entities read but not imported, each with the reason, e.g. "catalog-info.yaml#3 API checkout-api: only Component entities become services" */
  skipped: string[];
}

/**
 * A Component's lifecycle says how far along it is, not how critical it is, so it only nudges the default tier 2:
 * production -> 2, experimental -> 3, deprecated -> 3, anything else or none -> 2. The annotation umpire.dev/tier
 * or a tag tier-1 / tier1 (2, 3) say the tier outright and win over the lifecycle, the annotation over the tags.
 */
export const LIFECYCLE_TIER: Readonly<Record<string, 1 | 2 | 3>> = { production: 2, experimental: 3, deprecated: 3 };
export const DEFAULT_TIER = 2;

/**
 * Which Umpire link a Backstage link fills, by its type or, failing that, its title or icon. Checked in this order,
 * so a title naming two ("GitHub dashboard") fills the first; the first link filling a slot wins.
 */
const LINK_SLOTS: ReadonlyArray<[keyof ServiceLinks, RegExp]> = [
  ['runbook', /\b(runbooks?|playbooks?)\b/i],
  ['dashboard', /\b(dashboards?|grafana|metrics)\b/i],
  ['repository', /\b(repo|repository|source|github|gitlab)\b/i],
  ['onCall', /\b(on-?call|pagerduty|opsgenie)\b/i],
];

/**
 * Maps the Component entities of Backstage catalog files to Umpire services. Other kinds and library Components
 * are skipped with a reason; what Umpire cannot take as given (a name that is not a slug, no owner, a bad tier, a
 * link that is not http(s), two Components with one slug) is refused, never rewritten: the result holds every
 * refusal, or every service and skipped entity.
 */
export function backstageServices(documents: readonly RawDocument[]): OpenSloResult<BackstageImport> {
  const errors: string[] = [];
  const services: Array<{ input: ServiceInput; at: DocumentAt; where: string; slugField: string }> = [];
  const skipped: string[] = [];
  const bySlug = new Map<string, (typeof services)[number]>();
  for (const { value, at } of documents) {
    const read = readEntity(value, at);
    if ('errors' in read) errors.push(...read.errors);
    else if ('skipped' in read) skipped.push(read.skipped);
    else {
      const earlier = bySlug.get(read.input.slug);
      if (earlier) errors.push(`${read.where}: ${read.slugField}: the slug ${read.input.slug} is also used by ${earlier.where}`);
      else {
        services.push(read);
        bySlug.set(read.input.slug, read);
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { services: services.map(({ input, at }) => ({ input, at })), skipped } };
}

type EntityRead = { errors: string[] } | { skipped: string } | { input: ServiceInput; at: DocumentAt; where: string; slugField: string };

function issues(error: z.ZodError, where: string, prefix?: string): string[] {
  return error.issues.map((issue) => `${where}: ${fieldPath(prefix ? [prefix, ...issue.path] : issue.path)}: ${issue.message}`);
}

function readEntity(value: unknown, at: DocumentAt): EntityRead {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { errors: [`${describeDocument(at)}: must be a map with apiVersion, kind, metadata and spec`] };
  }
  const raw = value as Record<string, unknown>;
  const kind = typeof raw.kind === 'string' ? raw.kind : undefined;
  const rawName = (raw.metadata as { name?: unknown } | null | undefined)?.name;
  const where = describeDocument(at, kind, typeof rawName === 'string' ? rawName : undefined);
  const entity = Entity.safeParse(value);
  // A Component's spec is checked even when the envelope is refused, so one pass shows every problem.
  const spec = kind === 'Component' ? ComponentSpec.safeParse(raw.spec) : undefined;
  const errors = [...(entity.success ? [] : issues(entity.error, where)), ...(spec && !spec.success ? issues(spec.error, where, 'spec') : [])];
  if (errors.length > 0 || !entity.success) return { errors };
  if (!spec) return { skipped: `${where}: only Component entities become services` };
  if (!spec.success) return { errors };
  if (spec.data.type === 'library') return { skipped: `${where}: spec.type library is not a running service` };
  return componentService(entity.data.metadata, spec.data, at, where);
}

function componentService(metadata: EntityMetadata, spec: ComponentSpec, at: DocumentAt, where: string): EntityRead {
  const errors: string[] = [];
  const refuse = (field: string, message: string) => errors.push(`${where}: ${field}: ${message}`);
  const annotations = metadata.annotations ?? {};
  const fields: Record<string, string> = { ownerTeam: 'spec.owner', description: 'metadata.description' };

  const slugOverride = annotations[ANNOTATION.slug];
  fields.slug = slugOverride === undefined ? 'metadata.name' : `metadata.annotations.${ANNOTATION.slug}`;
  if (slugOverride === undefined && !Slug.safeParse(metadata.name).success) {
    refuse(
      'metadata.name',
      `${metadata.name} is not an Umpire slug (lowercase letters, digits and single hyphens, at most 63 characters); ` +
        `Umpire does not rewrite names: set the annotation ${ANNOTATION.slug} to the slug to use`,
    );
  }

  fields.name = metadata.title === undefined ? 'metadata.name' : 'metadata.title';
  const ownerTeam = ownerName(spec.owner);
  if (ownerTeam === '') refuse('spec.owner', `names no team: ${spec.owner}`);

  const tier = tierOf(metadata, spec, refuse);
  fields.tier = tier.field;

  const links: Record<string, string> = {};
  (metadata.links ?? []).forEach((link, i) => {
    const slot = slotOf(link.type) ?? slotOf(link.title) ?? slotOf(link.icon);
    if (slot === undefined || links[slot] !== undefined) return;
    links[slot] = link.url;
    fields[`links.${slot}`] = `metadata.links[${i}].url`;
  });
  // Backstage writes locations as type:target; only a url: location is a link (file: and others are not).
  const sourceLocation = annotations[ANNOTATION.sourceLocation];
  if (links.repository === undefined && sourceLocation?.startsWith('url:')) {
    links.repository = sourceLocation.slice('url:'.length);
    fields['links.repository'] = `metadata.annotations.${ANNOTATION.sourceLocation}`;
  }
  if (errors.length > 0) return { errors };

  const input = ServiceInput.safeParse({
    slug: slugOverride ?? metadata.name,
    name: metadata.title ?? metadata.name,
    ownerTeam,
    tier: tier.value,
    description: metadata.description ?? '',
    links,
  });
  if (!input.success) {
    return { errors: input.error.issues.map((issue) => `${where}: ${fields[fieldPath(issue.path)] ?? fieldPath(issue.path)}: ${issue.message}`) };
  }
  return { input: input.data, at, where, slugField: fields.slug };
}

/**
 * The name in an entity ref [kind:][namespace/]name: group:default/payments, group:payments and payments all name
 * the team payments. A user: owner is stripped the same way and kept: a person owning a service is still its owner.
 */
export function ownerName(ref: string): string {
  const withoutKind = ref.slice(ref.indexOf(':') + 1);
  return withoutKind.slice(withoutKind.lastIndexOf('/') + 1).trim();
}

function tierOf(metadata: EntityMetadata, spec: ComponentSpec, refuse: (field: string, message: string) => void): { value: number; field: string } {
  const annotation = metadata.annotations?.[ANNOTATION.tier];
  const annotationField = `metadata.annotations.${ANNOTATION.tier}`;
  if (annotation !== undefined) {
    if (!/^[1-3]$/.test(annotation)) refuse(annotationField, `must be 1, 2 or 3, not ${annotation}`);
    return { value: Number(annotation), field: annotationField };
  }
  const tagged = (metadata.tags ?? []).flatMap((tag, i) => {
    const match = /^tier-?([1-3])$/i.exec(tag);
    return match ? [{ value: Number(match[1]), field: `metadata.tags[${i}]` }] : [];
  });
  const first = tagged[0];
  if (first) {
    if (tagged.some((tag) => tag.value !== first.value)) {
      refuse('metadata.tags', `name more than one tier; keep one tier tag or set the annotation ${ANNOTATION.tier}`);
    }
    return first;
  }
  return { value: (spec.lifecycle !== undefined ? LIFECYCLE_TIER[spec.lifecycle] : undefined) ?? DEFAULT_TIER, field: 'spec.lifecycle' };
}

function slotOf(text: string | undefined): keyof ServiceLinks | undefined {
  if (text === undefined) return undefined;
  return LINK_SLOTS.find(([, pattern]) => pattern.test(text))?.[0];
}
