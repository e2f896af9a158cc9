import { teamFileName } from './files';

export interface DownloadLinksProps {
  /** Every owner team, for a download each. */
  teams: string[];
}

/** The catalogue as OpenSLO v1, whole or a team's: the start of a repository for `umpire apply`. */
export function DownloadLinks({ teams }: DownloadLinksProps) {
  const href = (team: string) => `/api/v1/openslo?team=${encodeURIComponent(team)}`;
  return (
    <section className="section" aria-labelledby="import-download-title">
      <div className="section-header">
        <h2 id="import-download-title">Download the catalogue as OpenSLO</h2>
      </div>
      <p className="muted">What Umpire holds now, as OpenSLO v1 YAML: commit it to a repository and apply it from there.</p>
      <ul className="link-list">
        <li>
          {/* Plain anchors: these are API answers (YAML files), not pages to route to. */}
          <a href="/api/v1/openslo" download="umpire-catalogue.yaml">
            Every service
          </a>
        </li>
        {teams.map((team) => (
          <li key={team}>
            <a href={href(team)} download={teamFileName(team)}>
              Team {team}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
