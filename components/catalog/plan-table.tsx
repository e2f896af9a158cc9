import Link from 'next/link';
import type { CatalogStep } from '@/lib/schemas';
import { actionLabel, describeChange, kindLabel, stepHref } from './plan-view';

export interface PlanTableProps {
  steps: CatalogStep[];
}

const BADGE: Record<CatalogStep['action'], string> = {
  create: 'badge badge-ok',
  change: 'badge badge-warning',
  unchanged: 'badge badge-muted',
  delete: 'badge badge-danger',
};

/** What applying the files would do, one row a service or SLO; names link to what exists already. */
export function PlanTable({ steps }: PlanTableProps) {
  return (
    <div className="table-wrap">
      <table className="data-table catalog-plan">
        <caption>What applying would do</caption>
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Kind</th>
            <th scope="col">Name</th>
            <th scope="col">File</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <tr key={`${step.kind}:${step.name}`}>
              <td>
                <span className={BADGE[step.action]}>{actionLabel(step.action)}</span>
              </td>
              <td>{kindLabel(step.kind)}</td>
              <th scope="row">
                {step.action === 'create' ? (
                  <span className="mono">{step.name}</span>
                ) : (
                  <Link href={stepHref(step)} className="mono">
                    {step.name}
                  </Link>
                )}
              </th>
              <td className="mono">{step.file ?? '—'}</td>
              <td>
                {step.changes.length > 0 ? (
                  <ul className="change-list">
                    {step.changes.map((change) => (
                      <li key={change.field}>{describeChange(change)}</li>
                    ))}
                  </ul>
                ) : step.fields.length > 0 ? (
                  step.fields.join(', ')
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
