import { actorName, authorize, type Actor } from '../../auth/authorize';
import { EmbedKeyMissingError, signEmbedToken, verifyEmbedToken } from '../../crypto/embed-token';
import { findEmbedById, insertEmbed, listEmbedsOfService, revokeEmbedRow, type EmbedRow } from '../../db/embeds';
import { listSlosByName, sloIdBySlug } from '../../db/slos';
import type { BadgeData, PanelData } from '../../embed/panel-data';
import { NotFoundError, UnprocessableError } from '../../errors';
import { log } from '../../log';
import { EmbedPanel, type EmbedInput, type EmbedLink, type EmbedView } from '../../schemas/index';
import { computeSloSeries } from '../slos/get-slo-series';
import { computeSloStatus } from '../slos/get-slo-status';
import { audited, type AuditEntry } from '../audit/audit';
import { findServiceBySlug } from '../../db/services';
import { serviceScope } from '../services/service-view';
import { toSloRecord } from '../../db/slos';
import { env } from '../../env';

const DAY_MS = 86_400_000;
/** Chart steps per range: 144 to 180 points, enough for a panel, cheap to compute. */
const STEP_SECONDS: Record<EmbedView['range'], number> = { '1d': 600, '7d': 3600, '30d': 4 * 3600 };
const RANGE_MS: Record<EmbedView['range'], number> = { '1d': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS };

type Row = EmbedRow;

function toLink(row: Row, origin: string): EmbedLink {
  const token = signEmbedToken(row.id);
  const base = `${origin}/embed/${token}`;
  return {
    id: row.id,
    service: row.service.slug,
    slo: row.slo?.slug ?? null,
    panel: EmbedPanel.parse(row.panel),
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    token,
    urls: { page: base, svg: `${base}/panel.svg`, png: `${base}/panel.png`, badge: row.sloId ? `${base}/badge.svg` : null },
  };
}

function embedTarget(row: Row): AuditEntry['target'] {
  return { type: 'embed', id: row.id, name: `${row.service.slug}${row.slo ? `/${row.slo.slug}` : ''} (${row.panel} panel)`, serviceId: row.serviceId };
}

/** An embed link as the trail keeps it: what it shows and until when, never the signed token. */
function embedState(row: Row): unknown {
  return {
    service: row.service.slug,
    slo: row.slo?.slug ?? null,
    panel: row.panel,
    label: row.label,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** A read-only link to one panel of one SLO or service; signed, so it names nothing else. */
export async function createEmbed({
  actor,
  input,
  origin,
  now = new Date(),
}: {
  actor: Actor;
  input: EmbedInput;
  origin: string;
  now?: Date;
}): Promise<EmbedLink> {
  const service = await findServiceBySlug(input.service);
  await authorize(actor, 'embed.create', serviceScope(service, input.slo));
  if (!env().UMPIRE_SECRET_KEY) {
    throw new UnprocessableError(new EmbedKeyMissingError().message);
  }
  let sloId: string | null = null;
  if (input.slo) {
    sloId = await sloIdBySlug(service.id, input.slo);
    if (!sloId) throw new NotFoundError(`SLO "${input.slo}" does not exist in service "${input.service}"`);
  }
  const row = await audited(actor, async (tx) => {
    const created = await insertEmbed(tx, {
      serviceId: service.id,
      sloId,
      panel: input.panel,
      label: input.label,
      createdAt: now,
      expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS),
    });
    return { result: created, audit: { action: 'embed.create', target: embedTarget(created), before: null, after: embedState(created) } };
  });
  log.info('embed.created', {
    embed: row.id,
    service: input.service,
    slo: input.slo ?? null,
    panel: input.panel,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    by: actorName(actor),
  });
  return toLink(row, origin);
}

export async function listEmbeds({ service, slo, origin }: { service: string; slo?: string; origin: string }): Promise<EmbedLink[]> {
  const row = await findServiceBySlug(service);
  const rows = await listEmbedsOfService(row.id, slo);
  return rows.map((r) => toLink(r, origin));
}

export async function revokeEmbed({ actor, id, origin, now = new Date() }: { actor: Actor; id: string; origin: string; now?: Date }): Promise<EmbedLink> {
  const found = /^[0-9a-f-]{36}$/i.test(id) ? await findEmbedById(id) : null;
  if (!found) throw new NotFoundError(`Embed link ${id} does not exist`);
  await authorize(actor, 'embed.revoke', serviceScope(found.service));
  const row = found.revokedAt
    ? found
    : await audited(actor, async (tx) => {
        const revoked = await revokeEmbedRow(tx, id, now);
        return { result: revoked, audit: { action: 'embed.revoke', target: embedTarget(revoked), before: embedState(found), after: embedState(revoked) } };
      });
  log.info('embed.revoked', { embed: id, service: row.service.slug, slo: row.slo?.slug ?? null, by: actorName(actor) });
  return toLink(row, origin);
}

/**
 * The embed a token grants, or null: malformed, forged, altered, unknown, revoked and expired tokens all look
 * the same to the caller (404), so a token reveals nothing about what exists.
 */
export async function resolveEmbed(token: string, now = new Date()): Promise<Row | null> {
  const id = verifyEmbedToken(token);
  if (!id) return null;
  const row = await findEmbedById(id);
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  return row;
}

/** What the embed shows, as of now: the same figures as the SLO and service pages. */
export async function embedPanelData(embed: Row, view: EmbedView, origin: string, now = new Date()): Promise<PanelData> {
  const serviceLink = `${origin}/services/${encodeURIComponent(embed.service.slug)}`;
  if (!embed.slo) {
    const rows = await listSlosByName(embed.serviceId);
    const slos = await Promise.all(
      rows.map(async (row) => ({
        name: row.name,
        slug: row.slug,
        link: `${serviceLink}/slos/${encodeURIComponent(row.slug)}`,
        status: await computeSloStatus(toSloRecord(row, embed.service.slug), { now }),
      })),
    );
    // As of the least recent figure shown: every SLO's is as of the newest minute read for it.
    const asOf = slos.reduce((min, s) => (s.status.asOf < min ? s.status.asOf : min), new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString());
    return { kind: 'service', serviceName: embed.service.name, link: serviceLink, slos, asOf };
  }
  const record = toSloRecord(embed.slo, embed.service.slug);
  const to = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const [status, series] = await Promise.all([
    computeSloStatus(record, { now }),
    computeSloSeries(record, { from: new Date(to.getTime() - RANGE_MS[view.range]), to, step: STEP_SECONDS[view.range] }, now),
  ]);
  return {
    kind: EmbedPanel.exclude(['service']).parse(embed.panel),
    serviceName: embed.service.name,
    sloName: embed.slo.name,
    link: `${serviceLink}/slos/${encodeURIComponent(embed.slo.slug)}`,
    status,
    series,
  };
}

/** The badge of an SLO embed: its SLI and budget left, coloured by its worst firing alert. */
export async function embedBadgeData(embed: Row, now = new Date()): Promise<BadgeData | null> {
  if (!embed.slo) return null;
  const status = await computeSloStatus(toSloRecord(embed.slo, embed.service.slug), { now });
  const firing = status.alerts.filter((a) => a.firing);
  return {
    label: `${embed.service.name} ${embed.slo.name}`,
    sli: status.sli,
    budgetRemaining: status.errorBudget.remaining,
    alert: firing.some((a) => a.severity === 'page') ? 'page' : firing.length > 0 ? 'ticket' : null,
    dataState: status.dataState,
    provisional: status.provisional,
  };
}
