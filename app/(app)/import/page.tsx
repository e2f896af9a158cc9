import type { Metadata } from 'next';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { DownloadLinks } from '@/components/catalog/download-links';
import { ImportPanel } from '@/components/catalog/import-panel';
import { writes } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { listTeams } from '@/lib/use-cases/services/list-services';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Import SLOs as code' };

/**
 * Plan and apply OpenSLO and Backstage files from the browser (docs/gitops.md), and download the catalogue as
 * OpenSLO. Readers get the downloads only; each apply is authorised per object by the API again.
 */
export default async function ImportPage() {
  const actor = await requireReader();
  const teams = await listTeams();
  const mayWrite = writes(actor);
  return (
    <>
      <Breadcrumbs items={[{ label: 'Services', href: '/' }, { label: 'Import' }]} />
      <div className="page-header">
        <div>
          <h1>Import SLOs as code</h1>
          <p className="page-lede">
            OpenSLO v1 and Backstage <code>catalog-info.yaml</code> files. Files from git are best applied with <code>umpire apply</code> (see the CLI), which
            marks them as managed.
          </p>
        </div>
      </div>
      {mayWrite ? (
        <ImportPanel />
      ) : (
        <p className="callout callout-info">You may read the catalogue but not change it, so uploading files is not offered here.</p>
      )}
      <DownloadLinks teams={teams} />
    </>
  );
}
