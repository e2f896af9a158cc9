'use client';

import type { Row } from './rows';

export interface RowsTableProps<R extends Row> {
  /** The table's accessible name ("Labels", "Custom alert tiers"). */
  label: string;
  /** The column headings, before the Remove column. */
  columns: readonly string[];
  rows: readonly R[];
  /** What a row is called in its Remove button's accessible name: "tier" gives "Remove tier 2". */
  rowName: string;
  onRemove: (key: number) => void;
  /** One row's cells (<td>s), before its Remove button. */
  cells: (row: R, index: number) => React.ReactNode;
  style?: React.CSSProperties;
}

/** The forms' table of editable rows: a heading per column, each row's cells, and a Remove button per row. */
export function RowsTable<R extends Row>({ label, columns, rows, rowName, onRemove, cells, style }: RowsTableProps<R>) {
  return (
    <table className="rows-table" aria-label={label} style={style}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">Remove</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={row.key}>
            {cells(row, i)}
            <td>
              <button type="button" className="btn btn-ghost btn-sm" aria-label={`Remove ${rowName} ${i + 1}`} onClick={() => onRemove(row.key)}>
                Remove
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
