import { principalOf, type Actor } from '../../auth/permissions';
import { listOwnerTeams, listServicesWithSlos } from '../../db/services';

/** What the notifications page offers to pick from: services with their team and SLOs, and the teams this actor may route and silence. */
export async function notificationTargets(actor: Actor): Promise<{
  services: Array<{ slug: string; name: string; team: string; slos: string[] }>;
  editableTeams: string[];
}> {
  const [rows, teams] = await Promise.all([listServicesWithSlos({}), listOwnerTeams()]);
  const principal = principalOf(actor);
  const editableTeams = !principal.scopes.has('write') ? [] : principal.teams === 'all' ? teams : [...principal.teams].sort();
  return { services: rows.map((r) => ({ slug: r.slug, name: r.name, team: r.ownerTeam, slos: r.slos.map((s) => s.slug).sort() })), editableTeams };
}
