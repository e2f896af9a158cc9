import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { actorName, authorize, type Actor } from '../../auth/authorize';
import { backstageServices, isBackstageDocument } from '../../backstage/index';
import { importCatalog, type CatalogDefinitions } from '../../catalog/import';
import { targetName, targetOf } from '../../catalog/targets';
import {
  deleteSloHistoryIn,
  lockCatalog,
  lockServiceForPrune,
  updateTargetRoute,
  markServiceManaged,
  markSloManaged,
  readCatalog,
  readRouting,
  type CatalogRoute,
  type CatalogRow,
  type ManagedMark,
} from '../../db/catalog';
import { deleteRouteRow, insertRoute } from '../../db/notification-routes';
import type { Slo as SloRow } from '../../db/generated/client';
import { deleteServiceRow, insertService, updateServiceRow } from '../../db/services';
import { deleteSloRow, insertSlo, toSloRecord, updateSloRow } from '../../db/slos';
import { transaction, type Tx } from '../../db/transaction';
import { env } from '../../env';
import { ConflictError, prismaErrorCode } from '../../errors';
import { log } from '../../log';
import type { OpenSloFile } from '../../openslo/parse';
import type { ManagedBy, ServiceInput, SloInput } from '../../schemas/index';
import { kindOf } from '../../sources/registry';
import { assertServiceFits, assertSloFits } from '../access/quotas';
import { recordAudit, type AuditEntry } from '../audit/audit';
import { requestEvaluation } from '../evaluation/requests';
import { invalidateOtelSloIndex } from '../ingest/otel-slo-index';
import { sloInputOf } from '../openslo/openslo';
import { overviewAnswers } from '../services/overview-cache';
import { managedByOf, serviceColumnsOf, serviceScope, serviceTarget, toService } from '../services/service-view';
import { sloColumnsOf, sloTarget, toSlo } from '../slos/slo-view';
import { validateSli } from '../slos/validate-sli';
import { managedPlace } from './managed-edits';

// Plan and apply (docs/gitops.md): OpenSLO v1 and Backstage catalog-info.yaml files against the catalogue. A plan
// says what would be created, changed (field by field) or deleted; an apply does all of it in one transaction with an
// audit entry per object naming its source, or nothing. Objects applied with a source are marked as managed by it.

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface CatalogStep {
  kind: 'service' | 'slo' | 'route';
  /** The service's slug, service/slo, or (an SLO's notification target) `service/slo → channel (severity)`. */
  name: string;
  action: 'create' | 'change' | 'unchanged' | 'delete';
  /** The fields that differ (change only); managedBy when only the mark moves. */
  fields: string[];
  changes: FieldChange[];
  /** The file that defines it (null for a delete). */
  file: string | null;
}

export interface CatalogRequest {
  actor: Actor;
  files: OpenSloFile[];
  /** The repository that manages what is applied (`umpire apply --source`); null: not marked, as a hand upload. */
  source: string | null;
  /** Delete what `source` manages and the files no longer define. */
  prune: boolean;
  /** The commit applied, kept in the audit trail. */
  revision?: string;
}

export type CatalogResult =
  { ok: true; steps: CatalogStep[]; skipped: string[]; applied: boolean } | { ok: false; code: 'invalid_catalog' | 'managed_elsewhere'; errors: string[] };

/** Backstage catalog-info.yaml entities are read beside OpenSLO documents (docs/backstage.md). */
const BACKSTAGE = { owns: isBackstageDocument, services: backstageServices };

/** A step with what carrying it out needs: the row it changes and the definition it writes. */
type Planned =
  | (CatalogStep & { kind: 'service'; row: CatalogRow | null; input: ServiceInput | null; mark: ManagedMark | null })
  | (CatalogStep & { kind: 'slo'; service: string; row: SloRow | null; serviceRow: CatalogRow | null; input: SloInput | null; mark: ManagedMark | null })
  | (CatalogStep & {
      kind: 'route';
      row: CatalogRoute | null;
      team: string;
      target: { service: string; slo: string; channel: string; channelId: string; severity: string };
      mark: ManagedMark | null;
    });

/** The state a plan compares the files with. */
interface Catalogue {
  rows: CatalogRow[];
  routes: CatalogRoute[];
  channels: Map<string, { id: string; kind: string }>;
}

async function readState(tx: Tx): Promise<Catalogue> {
  const [rows, routing] = await Promise.all([readCatalog(tx), readRouting(tx)]);
  return { rows, ...routing };
}

function serviceInputOf(row: CatalogRow): ServiceInput {
  const { slug, name, ownerTeam, tier, description, links } = toService(row);
  return { slug, name, ownerTeam, tier, description, links };
}

/** A value with its object keys in order and undefined members dropped, so equal definitions compare equal. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

function fieldChanges(current: Record<string, unknown>, wanted: Record<string, unknown>): FieldChange[] {
  return Object.keys(wanted)
    .filter((key) => !isDeepStrictEqual(canonical(current[key]), canonical(wanted[key])))
    .sort()
    .map((field) => ({ field, from: canonical(current[field]) ?? null, to: canonical(wanted[field]) ?? null }));
}

function markOfRow(row: { managedSource: string | null; managedPath: string | null }): ManagedMark | null {
  return row.managedSource === null ? null : { source: row.managedSource, path: row.managedPath };
}

function markOf(source: string | null, file: string): ManagedMark | null {
  return source === null ? null : { source, path: file };
}

function sameMark(a: ManagedBy | null, b: ManagedMark | null): boolean {
  return (a?.source ?? null) === (b?.source ?? null) && (a?.path ?? null) === (b?.path ?? null);
}

/**
 * The steps that take the catalogue (`rows`) to what the files define. Conflicts: an object another source manages,
 * or (applied without a source) a managed object the files would change while hand edits are refused.
 */
function planSteps(
  state: Catalogue,
  wanted: CatalogDefinitions,
  source: string | null,
  prune: boolean,
): { steps: Planned[]; conflicts: string[]; errors: string[] } {
  const { rows } = state;
  const steps: Planned[] = [];
  const conflicts: string[] = [];
  const errors: string[] = [];
  const services = new Map(rows.map((row) => [row.slug, row]));
  const refuseHandEdits = env().UMPIRE_MANAGED_EDITS === 'refuse';
  const mayTouch = (what: string, current: ManagedBy | null, changing: boolean) => {
    if (current === null) return;
    if (source !== null && current.source !== source) conflicts.push(`${what} is managed by ${managedPlace(current)}, not by ${source}`);
    else if (source === null && changing && refuseHandEdits) conflicts.push(`${what} is managed in git by ${managedPlace(current)}: apply it from there`);
  };

  for (const { input, file } of wanted.services) {
    const row = services.get(input.slug) ?? null;
    const mark = markOf(source, file);
    if (!row) {
      steps.push({ kind: 'service', name: input.slug, action: 'create', fields: [], changes: [], file, row, input, mark });
      continue;
    }
    const current = managedByOf(row);
    const changes = fieldChanges(serviceInputOf(row), input);
    if (source !== null && !sameMark(current, mark)) changes.push({ field: 'managedBy', from: current, to: mark });
    mayTouch(`Service "${input.slug}"`, current, changes.length > 0);
    steps.push({
      kind: 'service',
      name: input.slug,
      action: changes.length > 0 ? 'change' : 'unchanged',
      fields: changes.map((c) => c.field),
      changes,
      file,
      row,
      input,
      mark,
    });
  }

  const wantedServices = new Set(wanted.services.map((s) => s.input.slug));
  for (const { service, input, file } of wanted.slos) {
    const serviceRow = services.get(service) ?? null;
    const name = `${service}/${input.slug}`;
    if (!serviceRow && !wantedServices.has(service)) {
      errors.push(`${file}: SLO ${input.slug}: spec.service: there is no service "${service}" in the files or in Umpire`);
      continue;
    }
    const row = serviceRow?.slos.find((s) => s.slug === input.slug) ?? null;
    const mark = markOf(source, file);
    if (!row || !serviceRow) {
      steps.push({ kind: 'slo', name, action: 'create', fields: [], changes: [], file, service, row: null, serviceRow, input, mark });
      continue;
    }
    const record = toSloRecord(row, service);
    const changes = fieldChanges(sloInputOf(record), input);
    if (source !== null && !sameMark(record.managedBy, mark)) changes.push({ field: 'managedBy', from: record.managedBy, to: mark });
    mayTouch(`SLO "${name}"`, record.managedBy, changes.length > 0);
    steps.push({
      kind: 'slo',
      name,
      action: changes.length > 0 ? 'change' : 'unchanged',
      fields: changes.map((c) => c.field),
      changes,
      file,
      service,
      row,
      serviceRow,
      input,
      mark,
    });
  }

  // Notification targets: a route per SLO, channel and severity. A route the files no longer name goes when this
  // source made it; routes made by hand are left alone.
  const wantedSloNames = new Set(wanted.slos.map((s) => `${s.service}/${s.input.slug}`));
  // Applied with a source, the routes that source made are the ones compared; a hand-made route alike is left as it
  // is (never adopted, never deleted: the dispatcher sends one message per channel, so both cannot double a page).
  // Applied without one (an upload), any route alike counts as there.
  const existingTargets = new Map<string, CatalogRoute>();
  for (const route of state.routes) {
    const target = targetOf(route);
    if (!target || (source !== null && route.managedSource !== source)) continue;
    if (!existingTargets.has(targetName(target))) existingTargets.set(targetName(target), route);
  }
  const wantedTargets = new Set<string>();
  const wantedTeams = new Map(wanted.services.map((s) => [s.input.slug, s.input.ownerTeam]));
  for (const { service, input, file, targets } of wanted.slos) {
    const team = wantedTeams.get(service) ?? services.get(service)?.ownerTeam ?? '';
    for (const { channel, severity } of targets ?? []) {
      const found = state.channels.get(channel);
      if (!found) {
        errors.push(`${file}: SLO ${input.slug}: notification target ${channel}: there is no notification channel "${channel}": create it in Umpire first`);
        continue;
      }
      const target = { service, slo: input.slug, channel, channelId: found.id, severity };
      const name = targetName(target);
      wantedTargets.add(name);
      const row = existingTargets.get(name) ?? null;
      const mark = markOf(source, file);
      const current = row ? managedByOf(row) : null;
      // The route follows its service's team (a service handed to another team takes its routes along) and file.
      const changes: FieldChange[] = [];
      if (row && row.team !== team) changes.push({ field: 'team', from: row.team, to: team });
      if (row && source !== null && !sameMark(current, mark)) changes.push({ field: 'managedBy', from: current, to: mark });
      if (row) mayTouch(`Route ${name}`, current, changes.length > 0);
      const action = !row ? 'create' : changes.length > 0 ? 'change' : 'unchanged';
      steps.push({ kind: 'route', name, action, fields: changes.map((c) => c.field), changes, file, row, team, target, mark });
    }
  }
  for (const [name, route] of existingTargets) {
    const target = targetOf(route)!;
    const inFiles = wantedSloNames.has(`${target.service}/${target.slo}`);
    if (wantedTargets.has(name) || source === null || route.managedSource !== source || (!inFiles && !prune)) continue;
    steps.push({
      kind: 'route',
      name,
      action: 'delete',
      fields: [],
      changes: [],
      file: null,
      row: route,
      team: route.team,
      target: { ...target, channelId: route.channelId },
      mark: null,
    });
  }

  if (prune && source !== null) {
    const wantedSlos = wantedSloNames;
    const deletedServices = new Set<string>();
    for (const row of rows) {
      if (row.managedSource === source && !wantedServices.has(row.slug)) deletedServices.add(row.slug);
    }
    for (const row of rows) {
      for (const slo of row.slos) {
        const name = `${row.slug}/${slo.slug}`;
        if (slo.managedSource === source && !wantedSlos.has(name)) {
          steps.push({
            kind: 'slo',
            name,
            action: 'delete',
            fields: [],
            changes: [],
            file: null,
            service: row.slug,
            row: slo,
            serviceRow: row,
            input: null,
            mark: null,
          });
        }
      }
      if (deletedServices.has(row.slug)) {
        const kept = row.slos.filter((s) => s.managedSource !== source).map((s) => s.slug);
        if (kept.length > 0) conflicts.push(`Service "${row.slug}" cannot be pruned: it holds SLOs ${source} does not manage (${kept.join(', ')})`);
        // Deleting it would take SLOs the files still define with it (the foreign key cascades).
        const defined = row.slos.filter((s) => wantedSlos.has(`${row.slug}/${s.slug}`)).map((s) => s.slug);
        const adding = wanted.slos.filter((s) => s.service === row.slug && !row.slos.some((r) => r.slug === s.input.slug)).map((s) => s.input.slug);
        if (defined.length + adding.length > 0) {
          errors.push(
            `Service "${row.slug}" cannot be pruned: the files still define its SLOs (${[...defined, ...adding].join(', ')}); add the service to the files or remove them`,
          );
        }
        steps.push({ kind: 'service', name: row.slug, action: 'delete', fields: [], changes: [], file: null, row, input: null, mark: null });
      }
    }
  }
  return { steps, conflicts, errors };
}

/** The right each step needs, as its own create, update or delete would ask. */
async function authorizeSteps(actor: Actor, steps: Planned[], wanted: CatalogDefinitions): Promise<void> {
  const wantedTeam = new Map(wanted.services.map((s) => [s.input.slug, s.input.ownerTeam]));
  for (const step of steps) {
    if (step.action === 'unchanged') continue;
    if (step.kind === 'route') {
      // A route changed or deleted is its team's now; one handed to another team needs that team's right too.
      if (step.row) await authorize(actor, step.action === 'delete' ? 'route.delete' : 'route.create', { team: step.row.team });
      if (step.action !== 'delete' && step.team !== step.row?.team) await authorize(actor, 'route.create', { team: step.team });
      continue;
    }
    if (step.kind === 'service') {
      if (step.action === 'create') await authorize(actor, 'service.create', { service: step.name, team: step.input!.ownerTeam });
      else if (step.action === 'delete') await authorize(actor, 'service.delete', serviceScope(step.row!));
      else {
        await authorize(actor, 'service.update', serviceScope(step.row!));
        if (step.input!.ownerTeam !== step.row!.ownerTeam) await authorize(actor, 'service.update', { service: step.name, team: step.input!.ownerTeam });
      }
    } else {
      const scope = step.serviceRow
        ? serviceScope(step.serviceRow, step.input?.slug ?? step.row!.slug)
        : { service: step.service, team: wantedTeam.get(step.service)!, slo: step.input!.slug };
      await authorize(actor, step.action === 'create' ? 'slo.create' : step.action === 'delete' ? 'slo.delete' : 'slo.update', scope);
    }
  }
}

/** What the commit must be followed by: SLOs to evaluate from the start. */
interface Effects {
  evaluate: string[];
  otel: boolean;
}

/** Carries out the steps in order (services, SLOs, then deletions, SLOs before their services), each audited. */
async function carryOut(tx: Tx, actor: Actor, steps: Planned[], apply: Record<string, unknown>): Promise<Effects> {
  const effects: Effects = { evaluate: [], otel: false };
  // An upload (no source) that changes what git manages is a hand edit (allowed under UMPIRE_MANAGED_EDITS=warn):
  // its entry says so, as the UI's and API's own edits do.
  const audit = (entry: AuditEntry, file: string | null, row?: { managedSource: string | null; managedPath: string | null } | null) => {
    const managedEdit = apply.source === null && row?.managedSource ? { managedEdit: markOfRow(row) } : {};
    return recordAudit(tx, actor, { ...entry, details: { ...entry.details, ...managedEdit, apply: { ...apply, path: file } } });
  };
  const serviceIds = new Map<string, { id: string; slug: string }>();
  // Services, SLOs and their routes are made in that order; deletions go the other way round.
  const order = (s: Planned) => {
    const rank = { service: 0, slo: 1, route: 2 }[s.kind];
    return s.action === 'delete' ? 6 - rank : rank;
  };
  for (const step of [...steps].sort((a, b) => order(a) - order(b))) {
    if (step.action === 'unchanged') {
      if (step.kind === 'service') serviceIds.set(step.name, step.row!);
      continue;
    }
    if (step.kind === 'route') {
      const { target } = step;
      const routeName = { type: 'route' as const, name: `${step.team} → ${target.channel}` };
      if (step.action === 'create') {
        const row = await insertRoute(tx, {
          team: step.team,
          channelId: target.channelId,
          services: [target.service],
          slos: [target.slo],
          severities: [target.severity],
          kinds: ['burn_rate'],
          labels: {},
          createdBy: actorName(actor),
          managedSource: step.mark?.source ?? null,
          managedPath: step.mark?.path ?? null,
        });
        const after = { ...target, team: step.team, managedBy: step.mark };
        await audit({ action: 'route.create', target: { ...routeName, id: row.id }, before: null, after }, step.file);
      } else if (step.action === 'change') {
        await updateTargetRoute(tx, step.row!.id, { team: step.team, mark: step.mark ?? markOfRow(step.row!) });
        const before = { team: step.row!.team, managedBy: managedByOf(step.row!) };
        const after = { team: step.team, managedBy: step.mark ?? managedByOf(step.row!) };
        await audit({ action: 'route.update', target: { ...routeName, id: step.row!.id }, before, after }, step.file, step.row);
      } else {
        await deleteRouteRow(tx, step.row!.id);
        await audit({ action: 'route.delete', target: { ...routeName, id: step.row!.id }, before: { ...target, team: step.team }, after: null }, null);
      }
      continue;
    }
    if (step.kind === 'service') {
      if (step.action === 'create') {
        await assertServiceFits(tx, actor);
        const row = await insertService(tx, serviceColumnsOf(step.input!));
        if (step.mark) await markServiceManaged(tx, row.id, step.mark);
        serviceIds.set(step.name, row);
        await audit({ action: 'service.create', target: serviceTarget(row), before: null, after: { ...toService(row), managedBy: step.mark } }, step.file);
      } else if (step.action === 'change') {
        const before = toService(step.row!);
        const row = await updateServiceRow(tx, step.row!.id, serviceColumnsOf(step.input!));
        if (step.mark) await markServiceManaged(tx, row.id, step.mark);
        serviceIds.set(step.name, row);
        effects.otel ||= row.ownerTeam !== before.ownerTeam;
        await audit(
          { action: 'service.update', target: serviceTarget(row), before, after: { ...toService(row), managedBy: step.mark ?? before.managedBy } },
          step.file,
          step.row,
        );
      } else {
        // An SLO made by hand since the plan was read would go with the service: refused, nothing kept.
        const others = await lockServiceForPrune(tx, step.row!.id, String(apply.source));
        if (others > 0) throw new ConflictError(`Service "${step.name}" cannot be pruned: SLOs were added to it by hand meanwhile; plan and apply again`);
        await deleteServiceRow(tx, step.row!.id);
        effects.otel = true;
        await audit({ action: 'service.delete', target: serviceTarget(step.row!), before: toService(step.row!), after: null }, null);
      }
      continue;
    }
    const service = step.serviceRow ?? serviceIds.get(step.service)!;
    if (step.action === 'create') {
      await assertSloFits(tx, actor, service);
      const row = await insertSlo(tx, { serviceId: service.id, ...sloColumnsOf(step.input!), alertPolicy: step.input!.alertPolicy ?? undefined });
      if (step.mark) await markSloManaged(tx, row.id, step.mark);
      const record = { ...toSloRecord(row, step.service), managedBy: step.mark };
      if (!kindOf(record.sli).pushed) effects.evaluate.push(row.id);
      effects.otel ||= kindOf(record.sli).pushed;
      await audit({ action: 'slo.create', target: sloTarget(service, row), before: null, after: toSlo(record) }, step.file);
    } else if (step.action === 'change') {
      const before = toSloRecord(step.row!, step.service);
      const row = await updateSloRow(tx, step.row!.id, { ...sloColumnsOf(step.input!), alertPolicy: step.input!.alertPolicy ?? null });
      if (step.mark) await markSloManaged(tx, row.id, step.mark);
      const record = { ...toSloRecord(row, step.service), managedBy: step.mark ?? before.managedBy };
      // Buckets hold what the old SLI measured: a different SLI starts its history again, as a hand edit does.
      if (!isDeepStrictEqual(before.sli, record.sli)) {
        await deleteSloHistoryIn(tx, row.id);
        if (!kindOf(record.sli).pushed) effects.evaluate.push(row.id);
      }
      effects.otel ||= kindOf(record.sli).pushed || kindOf(before.sli).pushed;
      await audit({ action: 'slo.update', target: sloTarget(service, row), before: toSlo(before), after: toSlo(record) }, step.file, step.row);
    } else {
      const before = toSloRecord(step.row!, step.service);
      await deleteSloRow(tx, step.row!.id);
      effects.otel ||= kindOf(before.sli).pushed;
      await audit({ action: 'slo.delete', target: sloTarget(service, step.row!), before: toSlo(before), after: null }, null);
    }
  }
  return effects;
}

function publicStep({ kind, name, action, fields, changes, file }: Planned): CatalogStep {
  return { kind, name, action, fields, changes, file };
}

function summary(steps: CatalogStep[]): Record<string, number> {
  const count = (action: CatalogStep['action']) => steps.filter((s) => s.action === action).length;
  return { created: count('create'), changed: count('change'), deleted: count('delete'), unchanged: count('unchanged') };
}

class DryRun extends Error {
  constructor(readonly steps: CatalogStep[]) {
    super('dry run: rolled back');
  }
}

function invalid(request: Pick<CatalogRequest, 'source' | 'prune'>): string[] {
  return request.prune && request.source === null ? ['prune: needs a source: only what one source manages can be pruned (--source)'] : [];
}

/**
 * What applying the files would do, step by step; nothing is written. Any reader may ask: it shows only what the
 * files and the catalogue already say.
 */
export async function planCatalog(request: CatalogRequest): Promise<CatalogResult> {
  await authorize(request.actor, 'read');
  const refused = invalid(request);
  if (refused.length > 0) return { ok: false, code: 'invalid_catalog', errors: refused };
  const imported = importCatalog(request.files, [BACKSTAGE]);
  if (!imported.ok) return { ok: false, code: 'invalid_catalog', errors: imported.errors };
  const state = await transaction((tx) => readState(tx));
  const { steps, conflicts, errors } = planSteps(state, imported.value, request.source, request.prune);
  if (errors.length > 0) return { ok: false, code: 'invalid_catalog', errors };
  if (conflicts.length > 0) return { ok: false, code: 'managed_elsewhere', errors: conflicts };
  return { ok: true, steps: steps.map(publicStep), skipped: imported.value.skipped, applied: false };
}

/**
 * Applies the files: every step in one transaction (all kept, or none), each object's audit entry naming the
 * source, file and revision. Applies are serialised, so a second apply of the same files changes nothing. With
 * `dryRun` everything is carried out, quotas and rights included, and rolled back.
 */
export async function applyCatalog(request: CatalogRequest & { dryRun: boolean }): Promise<CatalogResult> {
  const { actor, source, prune, dryRun } = request;
  const refused = invalid(request);
  if (refused.length > 0) return { ok: false, code: 'invalid_catalog', errors: refused };
  const imported = importCatalog(request.files, [BACKSTAGE]);
  if (!imported.ok) return { ok: false, code: 'invalid_catalog', errors: imported.errors };
  const wanted = imported.value;

  // Data sources are looked up (and a backend may be asked) before the transaction, not while it holds locks.
  const before = planSteps(await transaction((tx) => readState(tx)), wanted, source, prune);
  await authorizeSteps(actor, before.steps, wanted);
  const validated = new Set<string>();
  for (const step of before.steps) {
    if (step.kind === 'slo' && step.input && (step.action === 'create' || step.fields.includes('sli'))) {
      await validateSli(step.input.sli);
      validated.add(JSON.stringify(step.input.sli));
    }
  }

  const apply = { id: randomUUID(), source, revision: request.revision ?? null, ...(dryRun ? { dryRun: true } : {}) };
  let outcome: { steps: CatalogStep[]; effects: Effects } | { errors: string[]; code: 'invalid_catalog' | 'managed_elsewhere' };
  try {
    outcome = await transaction(
      async (tx) => {
        await lockCatalog(tx);
        // Planned again under the lock: another apply may have committed since.
        const { steps, conflicts, errors } = planSteps(await readState(tx), wanted, source, prune);
        if (errors.length > 0) return { errors, code: 'invalid_catalog' as const };
        if (conflicts.length > 0) return { errors: conflicts, code: 'managed_elsewhere' as const };
        await authorizeSteps(actor, steps, wanted);
        for (const step of steps) {
          if (
            step.kind === 'slo' &&
            step.input &&
            (step.action === 'create' || step.fields.includes('sli')) &&
            !validated.has(JSON.stringify(step.input.sli))
          ) {
            await validateSli(step.input.sli);
          }
        }
        const effects = await carryOut(tx, actor, steps, apply);
        if (dryRun) throw new DryRun(steps.map(publicStep));
        return { steps: steps.map(publicStep), effects };
      },
      { timeout: 120_000 },
    );
  } catch (error) {
    if (error instanceof DryRun) {
      log.info('catalog.dry_run', { source, prune, ...summary(error.steps), by: actorName(actor) });
      return { ok: true, steps: error.steps, skipped: wanted.skipped, applied: false };
    }
    if (prismaErrorCode(error) === 'P2002') throw new ConflictError('A service or SLO the files create was created meanwhile: plan and apply again');
    throw error;
  }
  if ('errors' in outcome) return { ok: false, code: outcome.code, errors: outcome.errors };

  const { steps, effects } = outcome;
  const changed = steps.some((s) => s.action !== 'unchanged');
  if (changed) {
    overviewAnswers().invalidate();
    if (effects.otel) invalidateOtelSloIndex();
    // History is filled by the evaluator in the background, as for an SLO made in the UI (create-slo.ts).
    for (const id of effects.evaluate) requestEvaluation(id);
  }
  log.info('catalog.applied', { apply: apply.id, source, revision: apply.revision, prune, ...summary(steps), by: actorName(actor) });
  return { ok: true, steps, skipped: wanted.skipped, applied: changed };
}
